#!/usr/bin/env bash
# Times the operator commands end to end (process start included) on a job log of 1,000,000 jobs:
#   worker jobs list --status failed      and      worker jobs show <id>
# Target: each under 50 ms. The job log is filled by bench-joblog (reused when it already holds N jobs).
# Usage: Benchmarks/bench-operator.sh [--jobs N] [--path FILE] [--runs R] [--debug] [--files F]
#   --debug times (and fills with) the debug builds (slower; for when a release build is not possible).
#   --files F spreads the N jobs over F task files in a JOB_LOG_DIR (as Fargate tasks leave them), times the
#     commands on the F files, then folds all but two (aged past --idle, no lease held) with `worker jobs fold`
#     and times them again on archive.db + 2 live files.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=1000000
path="${TMPDIR:-/tmp}/bench-joblog.db"
runs=20
config=release
files=0
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs="$2"; shift 2 ;;
        --path) path="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        --files) files="$2"; shift 2 ;;
        *) echo "usage: $0 [--jobs N] [--path FILE] [--runs R]" >&2; exit 2 ;;
    esac
done

swift build -c "$config" --product bench-joblog >&2
swift build -c "$config" --product worker >&2
bin="$(swift build -c "$config" --show-bin-path)"
fill_bin="$bin"

if [ "$files" -eq 0 ]; then
    echo "== filling (or reusing) $path with $jobs jobs" >&2
    "$fill_bin/bench-joblog" --jobs "$jobs" --path "$path" >&2
fi

# The commands must not resolve configuration (no Quilt stack / secret lookups): this times the job log path only.
# The job log: JOB_LOG_PATH=FILE, or JOB_LOG_DIR=DIR with --files.
location=(-u JOB_LOG_DIR JOB_LOG_PATH="$path")
run_worker() {
    env -u QuiltStackARN -u QUILT_STACK_ARN -u BenchlingSecret -u BENCHLING_SECRET "${location[@]}" \
        "$bin/worker" "$@" >/dev/null
}
show_id=$(( jobs / 2 ))

if [ "$files" -eq 0 ] && command -v hyperfine >/dev/null 2>&1; then
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
        { v[NR] = $1 } END { printf "%-60s median %.1f ms, max %.1f ms (%d runs)\n", label, v[int((n + 1) / 2)] / 1000, v[n] / 1000, n }'
}

if [ "$files" -gt 0 ]; then
    dir="${TMPDIR:-/tmp}/bench-joblog-dir-$files-$jobs"
    rm -rf "$dir"
    echo "== filling $dir with $jobs jobs in $files files" >&2
    "$fill_bin/bench-joblog" --jobs "$jobs" --files "$files" --dir "$dir" >&2
    location=(-u JOB_LOG_PATH JOB_LOG_DIR="$dir")
    newest="wh_$(( jobs - jobs / files / 2 ))"    # a job of the newest file (ids are unique across files)
    oldest="wh_$(( jobs / files / 2 ))"           # a job of the oldest file
    echo "worker: $config build, $jobs jobs"
    time_command "$files files: jobs list --status failed" jobs list --status failed
    time_command "$files files: jobs show $newest" jobs show "$newest"
    # Every file but the newest two belongs to a gone task: unwritten for two days, no lease held.
    ls "$dir"/worker-bench-*.db | sort -V | head -n $(( files - 2 )) | while read -r f; do
        touch -d '2 days ago' "$f"; [ ! -e "$f-wal" ] || touch -d '2 days ago' "$f-wal"
    done
    start=$(date +%s%N)
    env JOB_LOG_DIR="$dir" "$bin/worker" jobs fold --idle 24h | head -n 1
    end=$(date +%s%N)
    echo "fold: $(( (end - start) / 1000000 )) ms; files left: $(ls "$dir"/*.db | wc -l)"
    time_command "folded (archive + 2 files): jobs list --status failed" jobs list --status failed
    time_command "folded (archive + 2 files): jobs show $newest" jobs show "$newest"
    time_command "folded (archive + 2 files): jobs show $oldest" jobs show "$oldest"
    exit 0
fi

echo "worker: $config build"
time_command "worker jobs list --status failed" jobs list --status failed
time_command "worker jobs list --status failed --json" jobs list --status failed --json
time_command "worker jobs show $show_id" jobs show "$show_id"
time_command "worker jobs show wh_$show_id --json" jobs show "wh_$show_id" --json
