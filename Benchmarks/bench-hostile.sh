#!/usr/bin/env bash
# Hostile-input benchmark of the receiver, on the release build (issue 13's targets):
#
#   Benchmarks/bench-hostile.sh [--attack 400] [--port 18080]
#
# receiver-bench starts a Benchling sandbox, launches the release receiver with a file secret and a SQLite queue
# (verification on), then
#   * opens --attack N connections (default 400) that each send the headers of a POST declaring 1 MiB and
#     1 MiB − 64 bytes of unsigned body, and stall; sends a valid signed delivery meanwhile; hangs up, waits 5 s;
#     prints the receiver's RSS before, during, its peak (VmHWM, from /proc) and after, how the attackers were
#     answered and how the delivery was. Target: peak below 256 MiB, the delivery answered 2xx.
#   * sends 50 deliveries whose webhook-signature holds 700 items (73 KB, a valid one among them; over the HTTP
#     header cap: 400) and 50 with 60 items (6 KB: 403 signature_header_too_large) and prints the round-trip
#     times of their refusals. Target: under 20 ms.
# Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product receiver >&2
swift build -c release --product receiver-bench >&2
bin="$(swift build -c release --show-bin-path)"
args=("$@")
[[ " ${args[*]-} " == *" --attack "* ]] || args+=(--attack 400)
exec "$bin/receiver-bench" "$bin/receiver" "${args[@]}"
