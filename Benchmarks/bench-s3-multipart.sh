#!/usr/bin/env bash
# Peak memory (RSS) of a 100 MiB S3 upload (multipart, 8 MiB parts streamed from file ranges) and download
# (streamed to disk), against the moto test environment.
# Usage: Benchmarks/bench-s3-multipart.sh      Target: peak RSS well under the file size (the file is never held).
# Runs AWSServicesTests' hundredMiBMultipartRoundTrip alone under `/usr/bin/time -v` and prints the peak RSS of
# the test process (which also includes the test bundle itself; compare with `--baseline`, a trivial test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/testenv up >/dev/null
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift build --build-tests >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
bundle="$(swift build --show-bin-path 2>/dev/null)/benchling-quiltPackageTests.xctest"
filter="S3MultipartMotoTests/hundredMiBMultipartRoundTrip"
if [ "${1:-}" = "--baseline" ]; then filter="EndpointAndRegionTests/resolvesRegionAndEndpoints"; fi
/usr/bin/time -v "$bundle" --testing-library swift-testing --filter "$filter" >"$log" 2>&1 || { cat "$log"; exit 1; }
grep -E "passed|failed" "$log" | tail -1
elapsed="$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')"
rss_kb="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
echo "filter: $filter"
echo "wall clock: $elapsed"
echo "peak RSS: $((rss_kb / 1024)) MiB"
