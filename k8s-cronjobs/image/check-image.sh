#!/usr/bin/env bash
# Checks the jobs image the way the cluster will use it, before it is pushed: renders both overlays
# with `kubectl kustomize` and runs the exact command line of every CronJob's container (of each
# index of an Indexed Job) through run-in-image.sh, with the pod's volumes, environment and user,
# on a small real cache that an ingest inside the image made first (so uid 65532 owns it, as on the
# volume). On that healthy cache every job is expected to exit 0; the check fails naming each one
# that does not. It also fails when the JVM in the image does not use the image's AOT cache
# (add-aot-cache.sh), and prints the start-up time with and without it.
#
# The pods' volumes: each PersistentVolumeClaim and hostPath is an empty directory owned by the
# pod's user (fsGroup makes the claims so, and the README has the nodes prepare the hostPath so),
# one per claim or path for both overlays; a configMap is the rendered ConfigMap's files; an
# emptyDir a tmpfs. What differs from the cluster, on purpose: the ConfigMap's remotes point at
# 127.0.0.1 (the one change to the rendered objects): the S3 remote at S3Proxy, the server the
# replicate tests use, started from the engine's test class path over a throw-away directory, so
# replicate really uploads; the other remotes at a closed port (no job reads them). Secrets get
# made-up values. Memory and CPU limits are not applied. A command line that the prod overlay runs
# exactly as dev does (same args, environment, volumes and config) runs once.
#
# Usage (as root, for chroot and mounts): k8s-cronjobs/image/check-image.sh [IMAGE_TAR]
# IMAGE_TAR defaults to jobs/target/jib-image.tar. Needs kubectl (with kustomize), yq, jq and mvn.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/image-lib.sh"
source "$repo/scripts/java-home.sh"
image=$(realpath "${1:-$repo/jobs/target/jib-image.tar}")
overlays=(dev prod)
# the small tree the seeding ingest stores: the image's own license files, 37 of them, 358 KiB
seed_dir=/opt/java/legal

for tool in kubectl yq jq mvn python3; do
    command -v "$tool" >/dev/null || { echo "check-image: $tool is missing (yq and jq: apt-get install yq)" >&2; exit 2; }
done
[[ $EUID -eq 0 ]] || { echo "check-image: run it as root, for chroot and mounts" >&2; exit 2; }
export LC_ALL=C
started=$EPOCHREALTIME
seconds_since() { awk -v from="$1" -v to="$EPOCHREALTIME" 'BEGIN { printf "%.1f", to - from }'; }

work=$(mktemp -d)
s3proxy_pid=
cleanup() {
    [[ -z $s3proxy_pid ]] || kill "$s3proxy_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
unpack_image "$image" "$work/image"

# The AOT cache: the JVM loads the CLI's main class from it, or the cache does not match the image.
if ! "$here/run-in-image.sh" --tmpfs /tmp --env JDK_JAVA_OPTIONS=-Xlog:class+load:stderr "$work/image" --version \
        >/dev/null 2>"$work/class-load.log"; then
    grep -vF '[class,load]' "$work/class-load.log" >&2
    echo "check-image: $image does not start" >&2
    exit 1
fi
main_class=$(jq -r '.config.Entrypoint[-1]' "$(image_config "$work/image")")
if ! grep -qF "$main_class source: shared objects file" "$work/class-load.log"; then
    echo "check-image: the JVM in $image does not use its AOT cache: run add-aot-cache.sh after jib:buildTar" >&2
    exit 1
fi

# S3Proxy for the S3 remote, storing into $work/s3 (a bucket is a directory there), quiet
(cd "$repo" && mvn -B -q -pl engine dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/s3proxy.classpath") >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; echo "check-image: cannot resolve S3Proxy from the engine's test class path" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
s3_endpoint=http://127.0.0.1:$port
mkdir "$work/s3"
cat >"$work/s3proxy.properties" <<EOF
s3proxy.endpoint=$s3_endpoint
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
jclouds.identity=check-image
jclouds.credential=check-image
EOF
echo '<configuration><root level="WARN"/></configuration>' >"$work/logback.xml"
"$JAVA_HOME/bin/java" -Dlogback.configurationFile="$work/logback.xml" -cp "$(cat "$work/s3proxy.classpath")" \
    org.gaul.s3proxy.Main --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
s3proxy_pid=$!
waited=0
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$s3proxy_pid" 2>/dev/null || ((++waited > 300)); then
        cat "$work/s3proxy.log" >&2; echo "check-image: S3Proxy did not start on $s3_endpoint" >&2; exit 1
    fi
    sleep 0.1
done

# Each overlay's objects as JSON, one a line; each ConfigMap's files in a directory named by its
# content (so equal ConfigMaps of both overlays are one), with the remotes pointed at 127.0.0.1.
runs=$work/runs.jsonl
for overlay in "${overlays[@]}"; do
    kubectl kustomize "$repo/k8s-cronjobs/overlays/$overlay" | yq -c . >"$work/$overlay.jsonl"
    configmaps='{}'
    while read -r configmap; do
        name=$(jq -r '.metadata.name' <<<"$configmap")
        dir=$work/configmap/$name-$(jq -cS '.data' <<<"$configmap" | sha256sum | cut -c1-12)
        configmaps=$(jq -c --arg name "$name" --arg dir "$dir" '.[$name] = $dir' <<<"$configmaps")
        [[ ! -d $dir ]] || continue
        mkdir -p "$dir"
        while read -r key; do
            jq -r --arg key "$key" '.data[$key]' <<<"$configmap" >"$dir/$key"
            if [[ $key == *.yaml ]] && yq -e '.cache.remotes' "$dir/$key" >/dev/null; then
                yq -y --arg s3 "$s3_endpoint" '.cache.remotes |= map(.endpoint = (if .type == "s3" then $s3
                    else "http://127.0.0.1:1" end))' "$dir/$key" >"$dir/$key.new"
                mv "$dir/$key.new" "$dir/$key"
                for bucket in $(yq -r '.cache.remotes[] | select(.type == "s3") | .bucket' "$dir/$key"); do
                    mkdir -p "$work/s3/$bucket"
                done
            fi
        done < <(jq -r '.data // {} | keys[]' <<<"$configmap")
    done < <(jq -c 'select(.kind == "ConfigMap")' "$work/$overlay.jsonl")

    # one line per pod to start: the job's name, the run-in-image.sh options its pod spec makes and
    # the container's args (-n and inputs: jq 1.6 exits 0 after an error in any but the last input)
    jq -nc --arg overlay "$overlay" --arg volumes "$work/volumes" --argjson configmaps "$configmaps" '
        inputs | select(.kind == "CronJob") | .metadata.name as $name | .spec.jobTemplate.spec as $job | $job.template.spec as $pod
        | (if $job.completionMode == "Indexed" then range($job.completions) else null end) as $index
        | $pod.containers[] as $container
        | def volume($m): ($pod.volumes[] | select(.name == $m.name)) as $v
              | ($m.subPath // "" | if . == "" then "" else "/" + . end) as $sub
              | (if $m.readOnly then ":ro" else "" end) as $ro
              | if $v.persistentVolumeClaim then
                    "--mount", "\($volumes)/pvc/\($v.persistentVolumeClaim.claimName)\($sub):\($m.mountPath)\($ro)"
                elif $v.hostPath and ($v.hostPath.type // "Directory" | IN("Directory", "DirectoryOrCreate")) then
                    "--mount", "\($volumes)/host\($v.hostPath.path)\($sub):\($m.mountPath)\($ro)"
                elif $v.configMap then "--mount", "\($configmaps[$v.configMap.name])\($sub):\($m.mountPath):ro"
                elif $v.emptyDir then "--tmpfs", $m.mountPath
                else error("\($name): volume \($m.name) is none of persistentVolumeClaim, hostPath directory,"
                           + " configMap, emptyDir")
                end;
          def env: if has("value") then "--env", "\(.name)=\(.value)"
              elif .valueFrom.secretKeyRef then
                  "--env", "\(.name)=check-image-\(.valueFrom.secretKeyRef.name)-\(.valueFrom.secretKeyRef.key)"
              else error("\($name): env \(.name) has neither a value nor a secretKeyRef") end;
          ($container.securityContext // {}) as $sc
          | if $container.envFrom then error("\($name): envFrom is not known here") else . end
          | {overlay: $overlay,
             job: (if $index == null then $name else "\($name)#\($index)" end),
             options: ([$container.volumeMounts[]? | volume(.)]
                 + [$container.env[]? | env]
                 + (if $index == null then [] else ["--env", "JOB_COMPLETION_INDEX=\($index)"] end)
                 + ["--user", "\($sc.runAsUser // $pod.securityContext.runAsUser // error("\($name): no runAsUser")
                              ):\($sc.runAsGroup // $pod.securityContext.runAsGroup // error("\($name): no runAsGroup"))"]
                 + [$container.command[]? | "--command", .]),
             args: ($container.args // [])}' "$work/$overlay.jsonl" >>"$runs"
done
# the volumes' directories, empty: run-in-image.sh gives them to the pod's user
while read -r dir; do mkdir -p "$dir"; done < <(jq -r --arg volumes "$work/volumes" '
    .options[] | select(startswith($volumes + "/")) | split(":")[0]' "$runs")

# run NAME OPTIONS_JSON ARGS_JSON: one pod's container through run-in-image.sh, then a line on how it
# ended and its summary line, or the end of its errors; returns 0 when it exited 0
run() {
    local name=$1 start code=0 options args log
    mapfile -t options < <(jq -r '.[]' <<<"$2")
    mapfile -t args < <(jq -r '.[]' <<<"$3")
    log=$(mktemp -d -p "$work")
    start=$EPOCHREALTIME
    "$here/run-in-image.sh" "${options[@]}" "$work/image" "${args[@]}" >"$log/out" 2>"$log/err" || code=$?
    printf 'check-image: %-30s exit %d  %5s s  %s\n' "$name" "$code" "$(seconds_since "$start")" "${args[*]}"
    if [[ $code -ne 0 ]]; then
        tail -20 "$log/err" | sed 's/^/    /'
        return 1
    fi
    tail -1 "$log/out" | sed 's/^/    /'
}

# the small cache: an ingest, which signs what it stores, with the mounts, environment and --config and
# --cache of the first job that names a cache and gets the signing secret
seed=$(jq -sc --arg dir "$seed_dir" 'map(select((.args | index("--cache"))
        and any(.options[]; startswith("BAKE_CACHE_SECRET=")))) | first // empty | .args as $a
    | .args = ["ingest", "--config", $a[($a | index("--config")) + 1], "--cache", $a[($a | index("--cache")) + 1],
               "--key", "check-image", "--dir", $dir]' "$runs")
[[ -n $seed ]] || { echo "check-image: no job names a --cache and gets BAKE_CACHE_SECRET: nothing to seed the cache with" >&2; exit 1; }
run "seed (ingest)" "$(jq -c .options <<<"$seed")" "$(jq -c .args <<<"$seed")" \
    || { echo "check-image: FAILED to make the small cache in $image" >&2; exit 1; }

# start-up: the best of two `stats` runs on the small cache (a Spring Batch job, as every CronJob's),
# with the AOT cache and without it (-XX:AOTMode=off), each through run-in-image.sh
mapfile -t seed_options < <(jq -r '.options[]' <<<"$seed")
mapfile -t stats_args < <(jq -r '["stats"] + .args[1:5] | .[]' <<<"$seed")
best_of_2() {
    local best= run start took
    for run in 1 2; do
        start=$EPOCHREALTIME
        "$here/run-in-image.sh" "${seed_options[@]}" "$@" "$work/image" "${stats_args[@]}" >/dev/null 2>"$work/stats.log" \
            || { cat "$work/stats.log" >&2; echo "check-image: ${stats_args[*]} failed in $image" >&2; exit 1; }
        took=$(seconds_since "$start")
        best=$(awk -v best="$best" -v took="$took" 'BEGIN { print (best == "" || took < best) ? took : best }')
    done
    echo "$best"
}
with_aot=$(best_of_2)
without_aot=$(best_of_2 --env JDK_JAVA_OPTIONS=-XX:AOTMode=off)
echo "check-image: start-up (stats on the small cache, best of 2): $with_aot s with the AOT cache, $without_aot s without"

failed=()
declare -A ran  # {options, args} of each command line run, to the job that ran it
while read -r line; do
    overlay=$(jq -r .overlay <<<"$line") job=$(jq -r .job <<<"$line")
    same=$(jq -c '{options, args}' <<<"$line")
    if [[ -n ${ran[$same]:-} ]]; then
        printf 'check-image: %-30s the same command line as %s: not run again\n' "$overlay $job" "${ran[$same]}"
        continue
    fi
    ran[$same]="$overlay $job"
    run "$overlay $job" "$(jq -c .options <<<"$line")" "$(jq -c .args <<<"$line")" || failed+=("$overlay/$job")
done <"$runs"

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "check-image: FAILED in $image (expected exit 0): ${failed[*]}" >&2
    exit 1
fi
echo "check-image: every CronJob of ${overlays[*]} exited 0 in $image ($(seconds_since "$started") s)"
