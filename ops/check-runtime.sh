#!/usr/bin/env bash
# Proves the Dockerfiles' runtime stage without Docker: builds the release binaries with the static Swift standard
# library, assembles a Debian root filesystem with exactly the packages the Dockerfiles' runtime stage installs
# (read from the Dockerfiles, so there is one list), and runs the binaries inside it with chroot. A missing shared
# library fails here instead of in a customer's account.
#
#   sudo ops/check-runtime.sh            (root: debootstrap and chroot need it; first run takes ~15 minutes)
#
# Needs Debian's debootstrap (installed when missing). Builds in its own .build-release/ (so it never waits on, or
# invalidates, the development build) and leaves .build-rootfs/; both are gitignored.
set -euo pipefail
cd "$(dirname "$0")/.."

suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs=.build-rootfs
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }

packages() { # the runtime stage's `apt-get install` line of a Dockerfile
  sed -n '/^FROM debian/,$p' "$1" | tr '\\\n' '  ' | grep -o 'apt-get install -y --no-install-recommends[^&]*' \
    | sed 's/apt-get install -y --no-install-recommends//' | xargs
}
receiver_packages=$(packages receiver.Dockerfile)
worker_packages=$(packages worker.Dockerfile)
echo "runtime packages: receiver [$receiver_packages] worker [$worker_packages]"

echo "== release build (static Swift standard library)"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product receiver
swift build -c release --static-swift-stdlib --scratch-path .build-release --product worker
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)
ls -la "$bin/receiver" "$bin/worker"

mounted=()
trap 'for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done' EXIT

check() { # $1 name, $2 packages, then the commands to run inside
  local name=$1 pkgs=$2; shift 2
  local root="$rootfs/$name"
  if [ ! -x "$root/bin/sh" ]; then
    echo "== debootstrap $suite (minbase) into $root"
    mkdir -p "$root"  # debootstrap cannot cd into a relative target whose parent does not exist yet
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
  fi
  echo "== $name: installing exactly: $pkgs"
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  install -s -m 0755 "$bin/$name" "$root/usr/local/bin/$name"  # stripped, as the Dockerfiles install it
  # A container always has /proc, and the statically linked Swift runtime reads its arguments from
  # /proc/self/cmdline: without it every command would silently run the default subcommand.
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mounted+=("$root/proc")
  echo "== $name: shared libraries"
  local libs
  libs=$(chroot "$root" ldd "/usr/local/bin/$name")
  echo "$libs"
  if grep -q 'not found' <<<"$libs"; then echo "missing shared libraries for $name" >&2; exit 1; fi
  for cmd in "$@"; do
    echo "== $name: $cmd"
    chroot "$root" /bin/sh -c "$cmd"
  done
}

# The container health checks, as ECS (the template's HealthCheck) and Docker (the Dockerfile's HEALTHCHECK) run
# them: their tool must be installed in the image and the command must pass against the running receiver. The
# receiver runs on port 18080 here, so the template's 8080 is rewritten.
health_checks=$(python3 - <<'PY'
import json, re
template = open("ops/template.yaml").read()
for command in re.findall(r'Command: \["CMD-SHELL", "(.*)"\]', template):
    print(command.replace(":8080/", ":18080/"))
dockerfile = open("receiver.Dockerfile").read()
match = re.search(r"^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$", dockerfile, re.M)
print(json.loads(match.group(1))[2])
PY
)
health_commands=()
while IFS= read -r line; do
  tool=${line%% *}
  health_commands+=("command -v $tool >/dev/null || { echo 'health-check tool $tool is not installed' >&2; exit 1; }; PORT=18080 sh -c '$line' && echo 'health check passed: $line'")
done <<<"$health_checks"

secret='{"CLIENT_ID":"id","CLIENT_SECRET":"s","TENANT":"acme","APP_DEFINITION_ID":"appdef_1","USER_BUCKET":"file:///tmp/registry"}'
check worker "$worker_packages" \
  "worker --help >/dev/null" \
  "mkdir -p /tmp/registry && echo '$secret' > /tmp/secret.json && BenchlingSecret=file:///tmp/secret.json QUEUE_URL=sqlite:///tmp/queue.db worker config check"
check receiver "$receiver_packages" \
  "mkdir -p /tmp/registry && echo '$secret' > /tmp/secret.json; (BenchlingSecret=file:///tmp/secret.json QUEUE_URL=sqlite:///tmp/queue.db PORT=18080 receiver & echo \$! > /tmp/pid); for i in \$(seq 50); do curl -fsS http://127.0.0.1:18080/health/live && break; sleep 0.2; done; echo" \
  "${health_commands[@]}" \
  "kill \$(cat /tmp/pid)"
echo "runtime check passed: stripped sizes $(du -h .build-rootfs/receiver/usr/local/bin/receiver | cut -f1) (receiver), $(du -h .build-rootfs/worker/usr/local/bin/worker | cut -f1) (worker)"
