#!/usr/bin/env bash
# Receiver benchmark: signed POST /event (verification on) against a release build, SQLite- or SQS-queue backed.
#
#   Benchmarks/bench-receiver.sh [--rate 500] [--seconds 20] [--port 18080]             # SQLite queue, one open-loop rate
#   Benchmarks/bench-receiver.sh --queue sqs [--rate 200 | --steps 100,200,400,800 | --concurrency 32] [--seconds 20]
#
# Builds `receiver` and `receiver-bench` in release mode, then receiver-bench starts a Benchling sandbox
# (JWKS + signer) on loopback, launches the receiver with a file secret and the chosen queue, pre-signs the
# deliveries right before each run (signatures are valid for ±300 s), fires them, and prints requests/s,
# client-side p50/p99, the receiver's own histograms (whole webhook, and the enqueue call alone: "time split" is
# the mean per webhook spent in the queue call vs in the receiver), and the CPU the receiver (and moto) used.
#
#   --queue sqlite      (default) SQLite queue file in a temporary folder.
#   --queue sqs         SQS FIFO queue on a moto server of the benchmark's own: `.venv/bin/python -m moto.server`
#                       on a free loopback port (create .venv with `scripts/testenv up`, or pass --python PATH),
#                       stopped by its PID at the end; the shared test moto is never touched. Ends with a check
#                       that every accepted webhook is a message in the queue.
#   --rate N            one open-loop run at N requests/s (default 500).
#   --steps R1,R2,...   open-loop runs at each rate, then a summary table: where the latency breaks and what
#                       limits it (enqueue mean vs the receiver's own time, receiver CPU vs moto CPU).
#   --concurrency N     closed loop: N clients sending back to back for --seconds: the most the system answers.
#   --seconds N         length of each run (default 20).
#   --log-level L       the receiver's LOG_LEVEL (default INFO, the product's default: one JSON line per webhook,
#                       written to /dev/null, as a deployment writes them to its log driver).
# Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product receiver >&2
swift build -c release --product receiver-bench >&2
bin="$(swift build -c release --show-bin-path)"
exec "$bin/receiver-bench" "$bin/receiver" "$@"
