# Sourced by the scripts beside it: reads a `docker save` tarball, as jib:buildTar and
# build-base-image.sh write them, without a container runtime. Needs jq.

# unpack_image TAR DIR: the tarball's files into DIR/tar, its layers applied in order into DIR/rootfs
unpack_image() {
    local tar=$1 dir=$2 layer
    mkdir -p "$dir/tar" "$dir/rootfs"
    tar -xf "$tar" -C "$dir/tar"
    for layer in $(jq -r '.[0].Layers[]' "$dir/tar/manifest.json"); do
        # Jib's layers are gzipped, build-base-image.sh's are not: GNU tar tells them apart itself
        tar --warning=no-unknown-keyword -xf "$dir/tar/$layer" -C "$dir/rootfs"
    done
    # applying layers in order is all it takes while no layer deletes a file of a lower one
    if [[ -n $(find "$dir/rootfs" -name '.wh.*' -print -quit) ]]; then
        echo "unpack_image: $tar has a layer that deletes files (whiteouts), which this does not apply" >&2
        return 1
    fi
}

# image_config DIR: the image configuration (Entrypoint, Env, rootfs.diff_ids) of an unpacked image
image_config() {
    echo "$1/tar/$(jq -r '.[0].Config' "$1/tar/manifest.json")"
}
