#!/usr/bin/env bash
# Times the job log's operator queries at 1,000,000 jobs (list --status failed, show <id>); prints milliseconds.
# Usage: Benchmarks/bench-joblog.sh [--jobs N] [--path FILE]    Target: each query well under 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-joblog
exec "$(swift build -c release --show-bin-path)/bench-joblog" "$@"
