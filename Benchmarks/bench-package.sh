#!/usr/bin/env bash
# Package-write throughput: hashes and publishes a large file (default 1 GiB) with the release build, next to
# OpenSSL's single-core SHA-256 speed on the same machine, and reports peak RSS (memory must not grow with size).
#
# Usage: Benchmarks/bench-package.sh [size-in-MiB] [work-directory]
# Needs the `bench-package` executable target (Benchmarks/bench-package) in Package.swift.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB="${1:-1024}"
WORK="${2:-${TMPDIR:-/tmp}}"

swift build -c release --product bench-package >&2
BIN="$(swift build -c release --show-bin-path)/bench-package"

echo "== OpenSSL baseline (single core, 8 KiB blocks)"
OPENSSL_LINE="$(openssl speed -evp sha256 -bytes 8192 -seconds 3 2>/dev/null | grep -E '^(sha256|SHA256)' | tail -1)"
# The figure is in thousands of bytes per second, e.g. "1234567.89k".
OPENSSL_K="$(echo "$OPENSSL_LINE" | awk '{print $NF}' | tr -d 'k')"
OPENSSL_MIBS="$(awk -v k="$OPENSSL_K" 'BEGIN { printf "%.1f", k * 1000 / 1048576 }')"
echo "openssl sha256: ${OPENSSL_MIBS} MiB/s"

echo "== bench-package ${SIZE_MIB} MiB"
TIME_LOG="$(mktemp)"
/usr/bin/time -v "$BIN" "$SIZE_MIB" "$WORK" 2> "$TIME_LOG" > "$TIME_LOG.out"
cat "$TIME_LOG.out"
PEAK_KB="$(grep 'Maximum resident set size' "$TIME_LOG" | awk '{print $NF}')"
HASH_MIBS="$(grep '^hash only:' "$TIME_LOG.out" | awk '{print $3}')"
echo "peak RSS: $((PEAK_KB / 1024)) MiB"
awk -v h="$HASH_MIBS" -v o="$OPENSSL_MIBS" 'BEGIN { printf "hashing at %.0f%% of openssl single-core sha256\n", 100 * h / o }'
rm -f "$TIME_LOG" "$TIME_LOG.out"
