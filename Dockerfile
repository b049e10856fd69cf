# UptimeBot: Swift builder → Debian bookworm-slim runtime. Needs BuildKit (RUN --mount): the
# default in Docker ≥ 23; with Debian's docker.io 20.10 set DOCKER_BUILDKIT=1.
#
# With a registry:     docker build -t uptimebot/uptime-bot:dev .
# Offline (this repo): scripts/docker-base-images.sh, then
#   DOCKER_BUILDKIT=1 docker build --network host \
#     --build-arg SWIFT_IMAGE=uptimebot/swift-builder:6.3.1 \
#     --build-arg RUNTIME_IMAGE=uptimebot/debian:bookworm -t uptimebot/uptime-bot:dev .
# Behind a proxy: http_proxy/https_proxy/no_proxy (any case) are Docker's predefined build args:
#   docker build --build-arg http_proxy=http://proxy:3128 --build-arg https_proxy=http://proxy:3128 …
# They reach apt and git in the RUN steps and are not kept in the image.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

# The official swift image lacks the project's C libraries; the offline builder has them already.
RUN if ! pkg-config --exists libmongoc-1.0 libbson-1.0 libcurl 2>/dev/null; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
             libmongoc-dev libbson-dev libcurl4-openssl-dev pkg-config \
        && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /build
# Dependencies first: this layer is reused until the manifest or the pins change.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product uptime-bot \
    && mkdir -p /out \
    && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)/uptime-bot" /out/uptime-bot \
    && strip /out/uptime-bot

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# Runtime libraries only; curl is for the HEALTHCHECK (it shares libcurl4 with the bot).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         ca-certificates curl libbson-1.0-0 libcap2-bin libcurl4 libmongoc-1.0-0 tzdata \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && groupadd --system --gid 10001 uptimebot \
    && useradd --system --uid 10001 --gid uptimebot --home-dir /app --shell /usr/sbin/nologin uptimebot \
    && mkdir -p /app && chown uptimebot:uptimebot /app

# File capabilities let the non-root user open raw ICMP sockets. COPY would drop them (and a
# setcap after COPY would store the binary twice), so the binary arrives through a bind mount.
# A binary with `+ep` caps refuses to start where NET_RAW is dropped (podman, cap_drop: ALL):
# build with --build-arg ICMP_FILE_CAPS= there, and the bot uses unprivileged ICMP sockets.
ARG ICMP_FILE_CAPS=cap_net_raw+ep
RUN --mount=type=bind,from=build,source=/out,target=/mnt/out \
    install -m 0755 /mnt/out/uptime-bot /usr/local/bin/uptime-bot \
    && if [ -n "$ICMP_FILE_CAPS" ]; then setcap "$ICMP_FILE_CAPS" /usr/local/bin/uptime-bot; fi \
    && if ldd /usr/local/bin/uptime-bot | grep 'not found'; then echo "missing runtime libraries" >&2; exit 1; fi

ARG UPTIMEBOT_VERSION=dev
LABEL org.opencontainers.image.title="uptime-bot" \
      org.opencontainers.image.description="Telegram uptime monitor (ICMP and HTTP checks)" \
      org.opencontainers.image.version="${UPTIMEBOT_VERSION}"
ENV UPTIMEBOT_VERSION=${UPTIMEBOT_VERSION} \
    HEALTH_PORT=8080 \
    LANG=C.UTF-8

USER uptimebot
WORKDIR /app
EXPOSE 8080
# Ready = MongoDB reachable and the Bot API polled recently; install.sh waits for this state.
# --noproxy: the DMZ proxy variables are set in the container and must not catch loopback.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --noproxy '*' -fsS -o /dev/null "http://127.0.0.1:${HEALTH_PORT:-8080}/health/ready" || exit 1
# The binary handles SIGTERM itself (swift-service-lifecycle); it runs as PID 1 with no shell around it.
ENTRYPOINT ["/usr/local/bin/uptime-bot"]
CMD ["run"]
