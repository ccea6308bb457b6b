#!/usr/bin/env bash
# Worker throughput: one job packaging a large Benchling export (default 1 GiB, stored ZIP) into the local
# registry and into S3 on moto, with the real worker (release build), next to OpenSSL's single-core SHA-256 speed,
# and the peak RSS of the process (it must not grow with the export size: everything is streamed).
#
# Usage: Benchmarks/bench-worker.sh [size-in-MiB]
# Needs the test stand-ins (scripts/testenv up) and `zip` on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB="${1:-1024}"

scripts/testenv up >&2

echo "== OpenSSL baseline (single core, 8 KiB blocks)"
OPENSSL_LINE="$(openssl speed -evp sha256 -bytes 8192 -seconds 3 2>/dev/null | grep -E '^(sha256|SHA256)' | tail -1)"
OPENSSL_K="$(echo "$OPENSSL_LINE" | awk '{print $NF}' | tr -d 'k')"
awk -v k="$OPENSSL_K" 'BEGIN { printf "openssl sha256: %.1f MiB/s\n", k * 1000 / 1048576 }'

echo "== worker, ${SIZE_MIB} MiB export"
# The suite uses @testable imports: a release build of it needs -enable-testing.
swift build -c release -Xswiftc -enable-testing --build-tests >&2
BQ_BENCH_WORKER_MIB="$SIZE_MIB" swift test -c release -Xswiftc -enable-testing --skip-build --filter "WorkerBenchmarkTests" 2>&1 \
    | grep -E '^bench-worker|✘|passed|failed'
