# UptimeBot: Swift builder → a minimal root filesystem from Debian bookworm packages. Needs BuildKit (RUN --mount): the
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
RUN if ! pkg-config --exists libmongoc-1.0 libbson-1.0 libcurl libcares 2>/dev/null; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
             libmongoc-dev libbson-dev libcurl4-openssl-dev libc-ares-dev pkg-config \
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
# The runtime's root filesystem, assembled from Debian packages: the bot, the libraries it loads
# (ldd closure), CA certificates, time zones, curl for the HEALTHCHECK and busybox as /bin/sh.
# No apt, dpkg, perl or coreutils (`docker exec -it uptime-bot busybox sh` for a look inside).
FROM ${RUNTIME_IMAGE} AS rootfs
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         busybox ca-certificates curl libbson-1.0-0 libc-ares2 libcap2-bin libcurl4 libmongoc-1.0-0 tzdata \
    && rm -rf /var/lib/apt/lists/*

# File capabilities let the non-root user open raw ICMP sockets (COPY in the classic builder drops
# them, hence BuildKit). A binary with `+ep` caps refuses to start where NET_RAW is not granted
# (podman, cap_drop: ALL): build with --build-arg ICMP_FILE_CAPS= there; ICMP then falls back to
# unprivileged datagram sockets.
ARG ICMP_FILE_CAPS=cap_net_raw+ep
RUN --mount=type=bind,from=build,source=/out,target=/mnt/out \
    set -eu; R=/rootfs; \
    mkdir -p $R/usr/bin $R/usr/lib $R/usr/lib64 $R/usr/local/bin $R/usr/share $R/etc/ssl $R/app $R/tmp; \
    # Debian's merged /usr, so the paths ldd prints (/lib/…, /lib64/…) resolve as on the build side.
    ln -s usr/bin $R/bin; ln -s usr/bin $R/sbin; ln -s usr/lib $R/lib; ln -s usr/lib64 $R/lib64; \
    install -m 0755 /mnt/out/uptime-bot $R/usr/local/bin/uptime-bot; \
    if [ -n "$ICMP_FILE_CAPS" ]; then setcap "$ICMP_FILE_CAPS" $R/usr/local/bin/uptime-bot; fi; \
    cp -a /usr/bin/curl /usr/bin/busybox $R/usr/bin/; \
    ln -s busybox $R/usr/bin/sh; \
    for lib in $(ldd $R/usr/local/bin/uptime-bot /usr/bin/curl /usr/bin/busybox \
                 | awk '$2 == "=>" {print $3} $1 ~ /^\/.*[^:]$/ {print $1}' | sort -u); do \
        for file in "$lib" "$(readlink -f "$lib")"; do \
            dir=$(readlink -f "$(dirname "$file")"); \
            mkdir -p "$R$dir"; \
            cp -a "$dir/$(basename "$file")" "$R$dir/"; \
        done; \
    done; \
    # TLS trust (libcurl, libmongoc via OpenSSL), time zones, identity files.
    cp -a /etc/ssl/certs /etc/ssl/openssl.cnf $R/etc/ssl/; \
    cp -a /usr/share/ca-certificates /usr/share/zoneinfo $R/usr/share/; \
    mkdir -p $R/usr/lib/ssl; cp -a /usr/lib/ssl/certs /usr/lib/ssl/cert.pem /usr/lib/ssl/openssl.cnf $R/usr/lib/ssl/; \
    ln -s /usr/share/zoneinfo/Etc/UTC $R/etc/localtime; \
    cp -aL /etc/os-release $R/etc/os-release; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nuptimebot:x:10001:10001:uptimebot:/app:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >$R/etc/passwd; \
    printf 'root:x:0:\nuptimebot:x:10001:\nnogroup:x:65534:\n' >$R/etc/group; \
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >$R/etc/nsswitch.conf; \
    chown 10001:10001 $R/app; chmod 1777 $R/tmp; \
    # Every library of the bot and of curl resolves inside the new root.
    if chroot $R /lib64/ld-linux-x86-64.so.2 --list /usr/local/bin/uptime-bot | grep 'not found'; then \
        echo "missing runtime libraries" >&2; exit 1; \
    fi; \
    chroot $R /usr/bin/curl --version >/dev/null

# ---------------------------------------------------------------------------------------------
FROM scratch AS runtime
COPY --from=rootfs /rootfs/ /

ARG UPTIMEBOT_VERSION=dev
LABEL org.opencontainers.image.title="uptime-bot" \
      org.opencontainers.image.description="Telegram uptime monitor (ICMP and HTTP checks)" \
      org.opencontainers.image.version="${UPTIMEBOT_VERSION}"
ENV PATH=/usr/local/bin:/usr/bin \
    UPTIMEBOT_VERSION=${UPTIMEBOT_VERSION} \
    HEALTH_PORT=8080 \
    ON_STARTUP_FAILURE=wait \
    LANG=C.UTF-8

USER 10001:10001
WORKDIR /app
EXPOSE 8080
# Ready = MongoDB reachable and the Bot API polled recently; install.sh waits for this state.
# --noproxy: the DMZ proxy variables are set in the container and must not catch loopback.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --noproxy '*' -fsS -o /dev/null "http://127.0.0.1:${HEALTH_PORT:-8080}/health/ready" || exit 1
# The binary handles SIGTERM itself (swift-service-lifecycle); it runs as PID 1 with no shell around it.
ENTRYPOINT ["/usr/local/bin/uptime-bot"]
CMD ["run"]
