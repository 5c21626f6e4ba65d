#!/usr/bin/env bash
# Runs one bake-cache job inside the image tarball that `jib:buildTar` made, the way the CronJobs
# run it: as uid 65532, on a read-only root, with an empty /tmp, the cache and the config mounted.
# It needs no container runtime (there is none on our machines), only root for chroot and mounts,
# and it catches what the manifest tests cannot: a JDK module missing from the base image, a
# library that writes outside /tmp, a wrong entrypoint.
#
# Usage (as root): k8s-cronjobs/image/run-in-image.sh IMAGE_TAR CACHE_DIR CONFIG_FILE JOB [JOB OPTIONS...]
# e.g. run-in-image.sh jobs/target/jib-image.tar /tmp/cache k8s-cronjobs/base/bake-cache.yaml gc --grace 6h
# BAKE_CACHE_SECRET is passed through from the environment.
set -euo pipefail

if [[ $# -lt 4 ]]; then
    sed -n 's/^# Usage (as root): /usage: /p' "$0" >&2
    exit 2
fi
image=$(realpath "$1") cache=$(realpath "$2") config=$(realpath "$3")
shift 3
: "${BAKE_CACHE_SECRET:?set BAKE_CACHE_SECRET, as the CronJobs get it from the bake-cache-secret Secret}"
uid=65532

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xf "$image" -C "$work"
mkdir "$work/rootfs"
# docker-save layout: manifest.json lists the layers, base first
for layer in $(sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' "$work/manifest.json" | tr -d '"' | tr ',' ' '); do
    tar --warning=no-unknown-keyword -xzf "$work/$layer" -C "$work/rootfs" 2>/dev/null \
        || tar --warning=no-unknown-keyword -xf "$work/$layer" -C "$work/rootfs"
done
entrypoint=$(sed -n 's/.*"Entrypoint":\[\([^]]*\)\].*/\1/p' "$work/config.json" | tr -d '"' | tr ',' ' ')
mkdir -p "$cache" && chown "$uid:$uid" "$cache"

# a private mount namespace: every mount below disappears with this process
unshare --mount --fork bash -euo pipefail -c '
    root=$1 cache=$2 config=$3 uid=$4 entrypoint=$5
    shift 5
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    mount -t tmpfs tmpfs "$root/tmp"
    mkdir -p "$root/cache" "$root/etc/bake-cache"
    touch "$root/etc/bake-cache/bake-cache.yaml"
    mount --bind "$cache" "$root/cache"
    mount --bind -o ro "$config" "$root/etc/bake-cache/bake-cache.yaml"
    mount -o remount,bind,ro "$root"
    exec env -i PATH=/opt/java/bin:/usr/bin:/bin BAKE_CACHE_SECRET="$BAKE_CACHE_SECRET" \
        /usr/sbin/chroot --userspec="$uid:$uid" "$root" $entrypoint "$@" --config /etc/bake-cache/bake-cache.yaml --cache /cache
' run-in-image "$work/rootfs" "$cache" "$config" "$uid" "$entrypoint" "$@"
