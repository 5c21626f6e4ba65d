#!/usr/bin/env bash
# Builds the base image for `mvn -pl jobs -Pimage jib:buildTar` as a `docker save` tarball, from
# Debian packages and the local JDK only: neither a Docker daemon nor a container registry is
# needed, which is what lets the jobs image be built on machines that reach only Maven Central
# and Debian. Where a registry is reachable, `-Djib.from.image=eclipse-temurin:25-jre` skips this.
#
# Usage (as root, for debootstrap's chroot): k8s-cronjobs/image/build-base-image.sh [OUT_TAR]
# OUT_TAR defaults to k8s-cronjobs/image/target/base-image.tar, where jobs/pom.xml looks for it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target/base-image.tar}
java_home=${JAVA_HOME:?set JAVA_HOME to a JDK 25, e.g. /usr/lib/jvm/temurin-25-jdk-amd64}
suite=bookworm
mirror=http://deb.debian.org/debian
# the uid the CronJobs' securityContext runs as (runAsUser)
uid=65532

if [[ $("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p') != 25 ]]; then
    echo "build-base-image: JAVA_HOME=$java_home is not a JDK 25" >&2
    exit 2
fi
command -v debootstrap >/dev/null || { echo "build-base-image: install debootstrap (apt-get install debootstrap)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

# minbase: libc, coreutils and a shell for `kubectl exec` debugging; no apt cache kept in the image
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

# java.se covers what Spring Boot, JDBC and JMX use; Spring Batch 6 records JFR events (jdk.jfr);
# BLAKE3 hashing uses the Vector API (jdk.incubator.vector, which the image's jvmFlags add: without
# it the JVM does not start); the rest are what libraries reach for reflectively. A module missing
# here fails only at run time (FindException, NoClassDefFoundError), which is why check-image.sh
# runs every CronJob's command line in the image.
"$java_home/bin/jlink" --add-modules java.se,jdk.jfr,jdk.unsupported,jdk.zipfs,jdk.management,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --output "$rootfs/opt/java"

echo "nonroot:x:$uid:$uid:bake-cache:/home/nonroot:/usr/sbin/nologin" >>"$rootfs/etc/passwd"
echo "nonroot:x:$uid:" >>"$rootfs/etc/group"
mkdir -p "$rootfs/home/nonroot" && chown "$uid:$uid" "$rootfs/home/nonroot"

# LANG: without a locale the JVM writes stdout in ASCII, and the summary line's arrows come out as '?'
# one layer, sorted and with epoch timestamps so that tar adds no build-to-build difference of its own
layer=$work/layer.tar
tar --sort=name --mtime=@0 --numeric-owner -C "$rootfs" -cf "$layer" .
diff_id=sha256:$(sha256sum "$layer" | cut -d' ' -f1)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["bake-cache-base:local"],"Layers":["layer.tar"]}]' >"$work/manifest.json"

mkdir -p "$(dirname "$out")"
tar --sort=name --mtime=@0 -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "build-base-image: $out ($(du -h "$out" | cut -f1), layer $diff_id)"
