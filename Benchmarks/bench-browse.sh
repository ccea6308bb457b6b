#!/usr/bin/env bash
# Browse click-to-updated-canvas latency on a large package: a local registry holding one package of N files
# (default 10,000) and the Benchling sandbox. Each sample is one click: the sandbox records the press (and disables
# the canvas), the worker's path fetches the entry, reads the manifest once, renders the page and PATCHes the
# canvas. Prints p50 / p95 / max in ms for the first, middle and last page, plus the manifest read + render alone.
#
# Usage: Benchmarks/bench-browse.sh [files] [debug|release]
#   e.g. Benchmarks/bench-browse.sh 10000 release
# Needs the test stand-ins (scripts/testenv up) for the Python OpenAPI judge environment only.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES="${1:-10000}"
CONFIG="${2:-release}"

scripts/testenv up >&2
# The suite uses @testable imports: release needs -enable-testing.
FLAGS=(-c "$CONFIG" -Xswiftc -enable-testing)
swift build "${FLAGS[@]}" --build-tests >&2
BQ_BENCH_BROWSE_FILES="$FILES" swift test "${FLAGS[@]}" --skip-build --filter "WorkerTests.InteractionBenchmarkTests" 2>&1 \
    | grep -E '^bench-browse|✘|passed|failed'
