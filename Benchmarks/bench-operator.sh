#!/usr/bin/env bash
# Times the operator commands end to end (process start included) on a job log of 1,000,000 jobs:
#   worker jobs list --status failed      and      worker jobs show <id>
# Target: each under 50 ms. The job log is filled by bench-joblog (reused when it already holds N jobs).
# Usage: Benchmarks/bench-operator.sh [--jobs N] [--path FILE] [--runs R] [--debug]
#   --debug times the debug build of worker (slower; for when a release build is not possible).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=1000000
path="${TMPDIR:-/tmp}/bench-joblog.db"
runs=20
config=release
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs="$2"; shift 2 ;;
        --path) path="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        *) echo "usage: $0 [--jobs N] [--path FILE] [--runs R]" >&2; exit 2 ;;
    esac
done

swift build -c release --product bench-joblog >&2
swift build -c "$config" --product worker >&2
bin="$(swift build -c "$config" --show-bin-path)"
fill_bin="$(swift build -c release --show-bin-path)"

echo "== filling (or reusing) $path with $jobs jobs" >&2
"$fill_bin/bench-joblog" --jobs "$jobs" --path "$path" >&2

# The commands must not resolve configuration (no Quilt stack / secret lookups): this times the job log path only.
run_worker() {
    env -u QuiltStackARN -u QUILT_STACK_ARN -u BenchlingSecret -u BENCHLING_SECRET -u JOB_LOG_DIR \
        JOB_LOG_PATH="$path" "$bin/worker" "$@" >/dev/null
}
show_id=$(( jobs / 2 ))

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 3 --runs "$runs" -N \
        "env -u QuiltStackARN -u BenchlingSecret JOB_LOG_PATH=$path $bin/worker jobs list --status failed" \
        "env -u QuiltStackARN -u BenchlingSecret JOB_LOG_PATH=$path $bin/worker jobs show $show_id"
    exit 0
fi

# Fallback: wall-clock per run with date +%s%N; prints median and max in milliseconds.
time_command() {
    local label="$1"; shift
    run_worker "$@"; run_worker "$@"    # warm-up (page cache)
    local samples=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        run_worker "$@"
        end=$(date +%s%N)
        samples+=( $(( (end - start) / 1000 )) )
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk -v label="$label" -v n="$runs" '
        { v[NR] = $1 } END { printf "%-45s median %.1f ms, max %.1f ms (%d runs)\n", label, v[int((n + 1) / 2)] / 1000, v[n] / 1000, n }'
}

echo "worker: $config build"
time_command "worker jobs list --status failed" jobs list --status failed
time_command "worker jobs list --status failed --json" jobs list --status failed --json
time_command "worker jobs show $show_id" jobs show "$show_id"
time_command "worker jobs show wh_$show_id --json" jobs show "wh_$show_id" --json
