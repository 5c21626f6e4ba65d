#!/usr/bin/env bash
# Runs one bake-cache job inside the image that `jib:buildTar` made, the way a CronJob's pod runs
# it: the image's entrypoint and environment with the container's args, as uid 65532, on a
# read-only root, with the pod's volumes and environment given as options. It needs no container
# runtime (there is none on our machines), only root for chroot and mounts, and it catches what the
# manifest tests cannot: a JDK module missing from the base image, a library that writes outside
# its volumes, a wrong entrypoint. check-image.sh runs every CronJob of both overlays through it.
#
# Usage (as root): k8s-cronjobs/image/run-in-image.sh [OPTIONS] IMAGE [ARGS...]
#   IMAGE                  jobs/target/jib-image.tar, or a directory unpack_image (image-lib.sh) filled
#   ARGS                   the container's args, as the manifest gives them
#   --mount SRC:PATH[:ro]  bind the file or directory SRC at PATH (a volumeMount); a writable directory
#                          is given to the pod's user first, as the pod's fsGroup gives it its volumes
#   --tmpfs PATH           an empty, writable directory at PATH (an emptyDir volume)
#   --env NAME=VALUE       one more variable of the pod's environment; --env NAME takes it from ours
#   --command WORD         replaces the image's entrypoint, as the container's `command` does (repeat per word)
#   --user UID:GID         the pod's runAsUser and runAsGroup (default 65532:65532)
# e.g. BAKE_CACHE_SECRET=... run-in-image.sh --mount /tmp/cache:/cache --tmpfs /tmp \
#          --mount k8s-cronjobs/base/bake-cache.yaml:/etc/bake-cache/bake-cache.yaml:ro --env BAKE_CACHE_SECRET \
#          jobs/target/jib-image.tar gc --config /etc/bake-cache/bake-cache.yaml --cache /cache --grace 6h
# Exits with the job's exit code.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/image-lib.sh"

usage() {
    sed -n '/^# Usage/,/^# Exits/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
mounts=() env=() command=() user=65532:65532
while [[ $# -gt 0 && $1 == --* ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
        --mount)
            IFS=: read -r src path mode <<<"$2"
            [[ -e $src && $path == /* && ${mode:-rw} =~ ^(rw|ro)$ ]] \
                || { echo "run-in-image: --mount $2: want an existing SRC, an absolute PATH and at most :ro" >&2; exit 2; }
            mounts+=("$(realpath "$src")" "$path" "${mode:-rw}") ;;
        --tmpfs) mounts+=(tmpfs "$2" rw) ;;
        --env)
            if [[ $2 == *=* ]]; then env+=("$2")
            else env+=("$2=${!2:?run-in-image: --env $2, but \$$2 is not set}"); fi ;;
        --command) command+=("$2") ;;
        --user) user=$2 ;;
        *) usage ;;
    esac
    shift 2
done
[[ $# -ge 1 ]] || usage
image=$1
shift

if [[ -d $image ]]; then
    unpacked=$image
else
    unpacked=$(mktemp -d)
    trap 'rm -rf "$unpacked"' EXIT
    unpack_image "$image" "$unpacked"
fi
config=$(image_config "$unpacked")
if [[ ${#command[@]} -eq 0 ]]; then
    mapfile -t command < <(jq -r '.config.Entrypoint[]' "$config")
fi
# the pod's environment: the image's, HOME as the runtime sets it from the image's passwd, then the pod's own
mapfile -t image_env < <(jq -r '.config.Env[]?' "$config")
home=$(awk -F: -v uid="${user%%:*}" '$3 == uid { print $6 }' "$unpacked/rootfs/etc/passwd")
env=("${image_env[@]}" "HOME=${home:-/}" "${env[@]}")
for ((i = 0; i < ${#mounts[@]}; i += 3)); do
    if [[ ${mounts[i]} != tmpfs && -d ${mounts[i]} && ${mounts[i + 2]} == rw ]]; then
        chown "$user" "${mounts[i]}"
    fi
done

# In a private mount namespace, so every mount below disappears with this process:
# root, user, the mounts as SRC PATH MODE triples, the environment, then the command line.
in_namespace() {
    local root=$1 user=$2 nmounts=$3
    shift 3
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    for ((i = 0; i < nmounts; i += 3)); do
        local src=$1 path=$root$2 mode=$3
        shift 3
        if [[ $src == tmpfs ]]; then
            mkdir -p "$path" && mount -t tmpfs -o mode=1777 tmpfs "$path"
            continue
        fi
        if [[ -d $src ]]; then mkdir -p "$path"; else mkdir -p "$(dirname "$path")" && touch "$path"; fi
        mount --bind "$src" "$path"
        [[ $mode == rw ]] || mount -o remount,bind,ro "$path"
    done
    mount -o remount,bind,ro "$root"
    local nenv=$1
    shift
    local env=("${@:1:nenv}")
    shift "$nenv"
    exec env -i "${env[@]}" /usr/sbin/chroot --userspec="$user" --groups="${user#*:}" "$root" "$@"
}
unshare --mount --fork bash -euo pipefail -c "$(declare -f in_namespace); in_namespace \"\$@\"" run-in-image \
    "$unpacked/rootfs" "$user" "${#mounts[@]}" "${mounts[@]}" "${#env[@]}" "${env[@]}" "${command[@]}" "$@"
