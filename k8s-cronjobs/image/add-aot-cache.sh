#!/usr/bin/env bash
# Adds the JDK's AOT cache (JEP 483, 515) to the jobs image as its last layer, so that a job's JVM
# starts with its classes already loaded and linked, as the bake-cache launcher's does. The JVM
# uses a cache only with the runtime and class path it was made with, so one made with the build
# machine's full JDK would be ignored by the image's jlinked one: the cache is made in the image,
# by the launcher's training run (`aot-training`: ingests and restores of a small generated tree)
# started through run-in-image.sh as the entrypoint starts a job (same flags, class path and uid),
# with the entrypoint's -XX:AOTCache=PATH (jobs/pom.xml) turned into -XX:AOTCacheOutput. The file
# lands at PATH; the tarball is rewritten in place with the layer added to manifest.json and to the
# configuration's rootfs.diff_ids and history, sorted and with fixed times like Jib's own (the cache
# file itself is not: about a tenth of its bytes differ from one training run to the next).
#
# Usage (as root, for the chroot): k8s-cronjobs/image/add-aot-cache.sh [IMAGE_TAR]
# IMAGE_TAR defaults to jobs/target/jib-image.tar; run it after each jib:buildTar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/image-lib.sh"
image=$(realpath "${1:-$here/../../jobs/target/jib-image.tar}")
uid=65532

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unpack_image "$image" "$work/image"
config=$(image_config "$work/image")
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
aot_path=$(printf '%s\n' "${entrypoint[@]}" | sed -n 's/^-XX:AOTCache=//p')
if [[ -z $aot_path ]]; then
    echo "add-aot-cache: the entrypoint of $image names no -XX:AOTCache=PATH (jvmFlags in jobs/pom.xml)" >&2
    exit 2
fi
if [[ -e $work/image/rootfs$aot_path ]]; then
    echo "add-aot-cache: $image already has $aot_path; run jib:buildTar again first" >&2
    exit 2
fi

# the entrypoint with the cache written instead of read, and the JVM's complaints shown: a
# cache that cannot be written must fail the build, not be missing silently
training=()
for word in "${entrypoint[@]}"; do
    case $word in
        -XX:AOTCache=*) training+=("-XX:AOTCacheOutput=/aot/$(basename "$aot_path")") ;;
        -Xlog:aot=off | -Xlog:cds=off) ;;
        *) training+=("$word") ;;
    esac
done
commands=()
for word in "${training[@]}"; do commands+=(--command "$word"); done
mkdir "$work/aot"
if ! "$here/run-in-image.sh" --mount "$work/aot:/aot" --tmpfs /tmp "${commands[@]}" --user "$uid:$uid" \
        --env BAKE_CACHE_SECRET=aot-training-secret-0123456789abcdef \
        "$work/image" aot-training /tmp/training >"$work/training.log" 2>&1 \
        || [[ ! -s $work/aot/$(basename "$aot_path") ]]; then
    cat "$work/training.log" >&2
    echo "add-aot-cache: the training run in $image made no AOT cache" >&2
    exit 1
fi

# the layer: the one file, root's and world-readable, with Jib's file time (epoch + 1 s)
mkdir -p "$work/layer$(dirname "$aot_path")"
install -m 644 "$work/aot/$(basename "$aot_path")" "$work/layer$aot_path"
tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C "$work/layer" -cf "$work/layer.tar" "${aot_path#/}"
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n "$work/layer.tar"
blob=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1).tar.gz
mv "$work/layer.tar.gz" "$work/image/tar/$blob"

jq -c --arg diff_id "$diff_id" '.rootfs.diff_ids += [$diff_id]
    | .history += [{created: "1970-01-01T00:00:00Z", created_by: "k8s-cronjobs/image/add-aot-cache.sh",
                    comment: "AOT cache"}]' "$config" >"$work/config.json"
mv "$work/config.json" "$config"
jq -c --arg blob "$blob" '.[0].Layers += [$blob]' "$work/image/tar/manifest.json" >"$work/manifest.json"
mv "$work/manifest.json" "$work/image/tar/manifest.json"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image/tar" -cf "$image.new" \
    $(cd "$work/image/tar" && ls)
mv "$image.new" "$image"
echo "add-aot-cache: $image ($(du -h "$image" | cut -f1)), $aot_path $(du -h "$work/layer$aot_path" | cut -f1)" \
    "(layer $(du -h "$work/image/tar/$blob" | cut -f1) gzipped)"
