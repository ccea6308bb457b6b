#!/usr/bin/env bash
# Receiver benchmark: signed POST /event at a fixed rate against a release build, SQLite-queue backed.
#
#   Benchmarks/bench-receiver.sh [--rate 500] [--seconds 20] [--port 18080]
#
# Builds `receiver` and `receiver-bench` in release mode, then receiver-bench starts a Benchling sandbox
# (JWKS + signer) on loopback, launches the receiver with a file secret and a SQLite queue, pre-signs every
# delivery right before the run (signatures are valid for ±300 s), fires them open-loop, and prints
# requests/s and p50/p99 latency. Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product receiver >&2
swift build -c release --product receiver-bench >&2
bin="$(swift build -c release --show-bin-path)"
exec "$bin/receiver-bench" "$bin/receiver" "$@"
