# syntax=docker/dockerfile:1
# The worker: a release build with the static Swift standard library on a slim Debian runtime.
# Build:  docker build -f worker.Dockerfile -t benchling-quilt-worker:VERSION --build-arg VERSION=VERSION .
ARG SWIFT_VERSION=6.3
ARG DEBIAN_VERSION=bookworm

FROM swift:${SWIFT_VERSION}-${DEBIAN_VERSION} AS build
# Unpinned on purpose: the Debian release is pinned (DEBIAN_VERSION), and its mirrors keep only the current
# (security-patched) version of each package, so an exact version pin would stop building at the next update.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# SwiftPM validates every declared target's folder, so the whole source tree is copied before resolving.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift package resolve
RUN swift build -c release --product worker --static-swift-stdlib \
 && install -D -s "$(swift build -c release --show-bin-path)/worker" /out/worker

FROM debian:${DEBIAN_VERSION}-slim
ARG VERSION=dev
LABEL org.opencontainers.image.title="benchling-quilt worker" \
      org.opencontainers.image.description="Packages Benchling entries as Quilt packages and updates their canvas" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
# Exactly the runtime packages ops/check-runtime.sh proves sufficient (unpinned: see the build stage).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata libsqlite3-0 libxml2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin app \
 && install -d -o app -g app /data/joblog /tmp/work
COPY --from=build /out/worker /usr/local/bin/worker
# Numeric, so the host and the EFS access point (POSIX user 10001) agree without a passwd lookup.
USER 10001:10001
# The job log (one SQLite file per task) lives on a persistent volume; exports are staged in /tmp/work.
ENV JOB_LOG_DIR=/data/joblog TMPDIR=/tmp/work BUILD_VERSION=${VERSION}
VOLUME ["/data/joblog"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/worker"]
CMD ["run"]
