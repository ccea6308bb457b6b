#!/usr/bin/env bash
# profile-receiver.sh — what the release receiver costs per delivery and per idle second, in figures a busy machine
# moves less than latency: CPU time and context switches (voluntary ones are thread wake-ups) of all its threads.
#
#   Benchmarks/profile-receiver.sh [--count N] [--rates "100 max"] [--idle S] [BIN_DIR]
#
# Same set-up as ../shared/bench/run_receiver.sh (file:// secret with verification on, SendMessage and the JWKS
# answered by an nginx stub, LOG_LEVEL=INFO, stdout to a file; TENANT "example", the tenant the signed deliveries
# name), with the deliveries signed by its tools. Phases:
#   idle       nothing sent for --idle seconds (the cost of sitting ready)
#   rate R     exactly --count deliveries at R per second (open loop, 16 connections); "max" sends them all at once
# Per phase: CPU milliseconds and context switches from /proc, in total and per delivery. For where the CPU goes,
# sample the receiver meanwhile: `perf record -e cpu-clock -F 1999 -g -p PID -- sleep 15` (software clock: works
# in VMs without hardware counters). valgrind 3.19 (Debian 12) cannot run this binary (DWARF 5; after stripping
# it, an internal SIGSEGV), so instruction counts are not available here.
# Environment: BW_BENCH_CACHE (the bench tools' cache), RECEIVER_PORT (18190), SQS_STUB_PORT (19425).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH=${BENCH:-$HERE/../../shared/bench}
export BW_BENCH_CACHE=${BW_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bw-bench}
COUNT=1000; RATES="100 max"; IDLE=10; BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --rates) RATES=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) BIN=$1; shift ;;
  esac
done
[ -n "$BIN" ] || BIN=$(cd "$HERE/.." && swift build -c release --show-bin-path)
[ -x "$BIN/receiver" ] || { echo "profile-receiver: no receiver in $BIN" >&2; exit 2; }
PORT=${RECEIVER_PORT:-18190}; STUB_PORT=${SQS_STUB_PORT:-19425}
VECTORS=$BENCH/../vectors/benchling/webhook-signatures.json
"$BENCH/setup.sh" >/dev/null
PY=$BW_BENCH_CACHE/receiver-tools/bin/python
RUN=$BW_BENCH_CACHE/runs/profile-$(date +%Y%m%d-%H%M%S); mkdir -p "$RUN/nginx" "$RUN/home"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$PY" - "$VECTORS" "$RUN" <<'EOF'
import json, sys
vec = json.load(open(sys.argv[1])); run = sys.argv[2]
json.dump(vec["jwks"], open(f"{run}/nginx/jwks.json", "w"))
appdef = next(json.loads(c["body"])["appDefinition"]["id"] for c in vec["cases"] if c.get("name") == "valid")
json.dump({"CLIENT_ID": "bench-client-id", "CLIENT_SECRET": "bench-client-secret", "TENANT": "example",
           "APP_DEFINITION_ID": appdef, "USER_BUCKET": f"file://{run}/registry", "PKG_PREFIX": "benchling",
           "PKG_KEY": "experiment_id", "LOG_LEVEL": "INFO", "ENABLE_WEBHOOK_VERIFICATION": "true",
           "WEBHOOK_ALLOW_LIST": "", "ECR_REPOSITORY_NAME": "bench"}, open(f"{run}/secret.json", "w"))
EOF
cat > "$RUN/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $RUN/nginx/body;
  keepalive_requests 10000000;
  keepalive_timeout 650s;
  server {
    listen 127.0.0.1:$STUB_PORT;
    location = /jwks { default_type application/json; alias $RUN/nginx/jwks.json; }
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '{"MessageId":"00000000-0000-0000-0000-000000000000","SequenceNumber":"1"}';
    }
  }
}
EOF
nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -e "$RUN/nginx/error.log" > "$RUN/nginx/stdout.log" 2>&1 &
PIDS+=("$!")
sleep 0.5
STUB=http://127.0.0.1:$STUB_PORT

t0=$(date +%s.%N)
env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="$RUN/home" PORT="$PORT" \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$STUB" \
  BenchlingSecret="file://$RUN/secret.json" QUEUE_URL="$STUB/123456789012/bench-packaging.fifo" \
  BENCHLING_JWKS_URL="$STUB/jwks" "$BIN/receiver" > "$RUN/receiver.log" 2> "$RUN/receiver.err" &
RX=$!; PIDS+=("$RX")
"$PY" "$BENCH/waithealthy.py" --url "http://127.0.0.1:$PORT/health/ready" --since "$t0" --pid "$RX" --timeout 60 \
  --interval-ms 2 > "$RUN/ready.json" || { tail "$RUN/receiver.err" >&2; exit 1; }
echo "ready after $(cut -c1-40 "$RUN/ready.json")"

# CPU ms and context switches of all the receiver's threads so far.
snapshot() {
  "$PY" - "$RX" <<'EOF'
import os, sys
pid = sys.argv[1]; tick = os.sysconf("SC_CLK_TCK"); vol = invol = 0
with open(f"/proc/{pid}/stat") as f:
    fields = f.read().rsplit(")", 1)[1].split()
cpu = (int(fields[11]) + int(fields[12])) * 1000 / tick
for tid in os.listdir(f"/proc/{pid}/task"):
    for line in open(f"/proc/{pid}/task/{tid}/status"):
        if line.startswith("voluntary_ctxt_switches"): vol += int(line.split()[1])
        if line.startswith("nonvoluntary_ctxt_switches"): invol += int(line.split()[1])
print(cpu, vol, invol)
EOF
}
phase_start() { snapshot > "$RUN/before"; }
phase_end() {  # phase_end NAME DELIVERIES (threads that exited meanwhile take their switch counts with them)
  snapshot > "$RUN/after"
  "$PY" - "$RUN/before" "$RUN/after" "$1" "$2" <<'EOF'
import sys
b = [float(x) for x in open(sys.argv[1]).read().split()]; a = [float(x) for x in open(sys.argv[2]).read().split()]
cpu, vol, invol = a[0] - b[0], a[1] - b[1], a[2] - b[2]; n = int(sys.argv[4])
line = f"{sys.argv[3]:>10}: CPU {cpu:.0f} ms, context switches {vol:.0f} voluntary + {invol:.0f} involuntary"
if n: line += f"; per delivery: {cpu/n:.3f} ms CPU, {vol/n:.2f} + {invol/n:.2f} switches ({n})"
print(line)
EOF
}
drive() {  # drive RATE: COUNT signed deliveries, paced at RATE/s ("max": all at once)
  local rate=$1 r d
  "$PY" "$BENCH/sign_requests.py" --vectors "$VECTORS" --count 1000 --json "$RUN/pool.json" >/dev/null
  if [ "$rate" = max ]; then r=100000; else r=$rate; fi
  d=$("$PY" -c "print($COUNT / $r)")
  "$PY" "$BENCH/openloop.py" run --url "http://127.0.0.1:$PORT/event" --pool "$RUN/pool.json" --rate "$r" \
    --duration "$d" --warmup 0 --connections 16 --drain-timeout 300 > "$RUN/openloop-$rate.txt"
  grep -q "non-2xx 0, errors 0, timeouts 0" "$RUN/openloop-$rate.txt" \
    || { echo "profile-receiver: not every delivery was accepted:" >&2; head -3 "$RUN/openloop-$rate.txt" >&2; }
}

drive max >/dev/null  # warm: connections to the stub, JWKS, caches
sleep 2
phase_start; sleep "$IDLE"; phase_end "idle-${IDLE}s" 0
for rate in $RATES; do
  sleep 1
  phase_start; drive "$rate"; sleep 1; phase_end "rate-$rate" "$COUNT"
done
grep -c '"msg":"webhook"' "$RUN/receiver.log" | sed 's/^/webhook log lines: /'
echo "raw: $RUN"
