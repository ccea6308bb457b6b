#!/usr/bin/env bash
# Worker throughput: one job packaging a large Benchling export (default 1 GiB, stored ZIP) into the local
# registry and into S3 on moto, with the real `worker` executable (release build), next to OpenSSL's single-core
# SHA-256 speed, and the worker's peak RSS (it must not grow with the export size: everything is streamed).
#
# How the figures are taken (Tests/WorkerTests/WorkerBenchmarkTests.swift):
# - The worker runs as its own process (`worker run`, configured through its environment like a deployment:
#   file secret, moto stack for S3, worker IAM user). The test process hosts the Benchling sandbox that serves
#   the export, seeds moto and reads the job log; none of that counts against the worker.
# - Peak RSS is that process's VmHWM (/proc/PID/status), read after the job finished, before SIGTERM.
# - Throughput: "end to end" = job created → finished (export, download, extract, documents, hash, publish,
#   canvas); "packaging" = the job log's plan (SHA-256 chunked hashing from disk) + publish steps, the figure
#   compared with half of OpenSSL's single-core SHA-256 speed.
#
# Usage: Benchmarks/bench-worker.sh [size-in-MiB] [debug]
#   debug: use the debug build (quick plumbing check; figures are not meaningful).
# Needs the test stand-ins (scripts/testenv up) and `zip` on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB="${1:-1024}"
MODE="${2:-release}"

scripts/testenv up >&2

echo "== OpenSSL baseline (single core, 8 KiB blocks)"
OPENSSL_LINE="$(openssl speed -evp sha256 -bytes 8192 -seconds 3 2>/dev/null | grep -E '^(sha256|SHA256)' | tail -1)"
OPENSSL_K="$(echo "$OPENSSL_LINE" | awk '{print $NF}' | tr -d 'k')"
awk -v k="$OPENSSL_K" 'BEGIN { printf "openssl sha256: %.1f MiB/s (target for packaging into the local registry: >= %.1f MiB/s)\n", k * 1000 / 1048576, k * 500 / 1048576 }'

echo "== worker, ${SIZE_MIB} MiB export (${MODE})"
if [ "$MODE" = debug ]; then
    swift build --product worker >&2
    swift build --product benchling-quiltPackageTests >&2
    BIN="$(swift build --show-bin-path)"
    BQ_BENCH_WORKER_MIB="$SIZE_MIB" BQ_BENCH_WORKER_BINARY="$BIN/worker" \
        swift test --skip-build --filter "WorkerBenchmarkTests" 2>&1 | grep -E '^bench-worker|✘|passed|failed'
else
    # The suite uses @testable imports: a release build of it needs -enable-testing (the worker binary measured
    # comes from the same build). Only the two products needed are built.
    swift build -c release -Xswiftc -enable-testing --product worker >&2
    swift build -c release -Xswiftc -enable-testing --product benchling-quiltPackageTests >&2
    BIN="$(swift build -c release -Xswiftc -enable-testing --show-bin-path)"
    BQ_BENCH_WORKER_MIB="$SIZE_MIB" BQ_BENCH_WORKER_BINARY="$BIN/worker" \
        swift test -c release -Xswiftc -enable-testing --skip-build --filter "WorkerBenchmarkTests" 2>&1 \
        | grep -E '^bench-worker|✘|passed|failed'
fi
