#!/usr/bin/env bash
# Builds the offline release: dist/uptime-bot-<version>.tar.gz (+ .sha256 next to it) holding
#   VERSION, SHA256SUMS, install.sh, upgrade.sh, docker-compose.prod.yml (image tags pinned),
#   env/{example,prod,proxmox}.env, OPERATIONS.md, mongo-shell.py,
#   images/uptime-bot-<version>.tar and images/mongo.tar (docker save).
# Usage: scripts/release.sh [--version V] [--rev REV | --worktree] [--no-build] [--output DIR]
#   --rev REV     build the committed tree of REV (default HEAD; Package.resolved, which is not in
#                 git, comes from the working tree)
#   --worktree    build the working tree as it is, uncommitted changes included
#   --version V   default: git describe of REV (tags, else the commit; "-dirty" with --worktree)
#   --no-build    ship the already built uptimebot/uptime-bot:<version> image
# Environment:
#   SWIFT_IMAGE, RUNTIME_IMAGE  base images for the Dockerfile (default: the local ones from
#                               scripts/docker-base-images.sh when present, else the official ones)
#   MONGO_IMAGE                 the database image to ship (default uptimebot/mongo:6.0.5)
#   DOCKER_BUILD_NETWORK        network of RUN steps (default host: works with dockerd --bridge=none)
#   http_proxy, https_proxy, no_proxy   passed to the build (apt, git behind a proxy)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=""
rev=HEAD
worktree=0
build=1
output=$root/dist
while [ $# -gt 0 ]; do
    case $1 in
        --version) version=${2:?}; shift 2 ;;
        --rev) rev=${2:?}; shift 2 ;;
        --worktree) worktree=1; shift ;;
        --no-build) build=0; shift ;;
        --output) output=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "release.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

log() { printf '[release] %s\n' "$*" >&2; }

if [ -z "$version" ]; then
    if [ "$worktree" = 1 ]; then
        version=$(git -C "$root" describe --tags --always --dirty 2>/dev/null || date -u +%Y%m%d%H%M)
    else
        version=$(git -C "$root" describe --tags --always "$rev")
    fi
fi
version=${version#v}
[[ $version =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { log "version '$version' is not a valid image tag"; exit 2; }

BOT_IMAGE=uptimebot/uptime-bot:$version
MONGO_IMAGE=${MONGO_IMAGE:-uptimebot/mongo:6.0.5}
DOCKER_BUILD_NETWORK=${DOCKER_BUILD_NETWORK:-host}
local_or() { docker image inspect "$1" >/dev/null 2>&1 && echo "$1" || echo "$2"; }
SWIFT_IMAGE=${SWIFT_IMAGE:-$(local_or uptimebot/swift-builder:6.3.1 swift:6.3-bookworm)}
RUNTIME_IMAGE=${RUNTIME_IMAGE:-$(local_or uptimebot/debian:bookworm debian:bookworm-slim)}

# The Dockerfile needs BuildKit (RUN --mount). buildx if installed; else a docker CLI older than 23,
# which still has the built-in BuildKit client (Debian's docker.io at /usr/bin/docker).
docker_build() {
    if docker buildx version >/dev/null 2>&1; then
        docker buildx build --load "$@"
        return
    fi
    local cli major
    for cli in docker /usr/bin/docker; do
        command -v "$cli" >/dev/null || continue
        major=$("$cli" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
        if [ -n "$major" ] && [ "$major" -lt 23 ]; then
            DOCKER_BUILDKIT=1 "$cli" build "$@"
            return
        fi
    done
    log "BuildKit is needed: install docker-buildx, or Debian's docker.io (its CLI builds with DOCKER_BUILDKIT=1)"
    return 1
}

name=uptime-bot-$version
mkdir -p "$output"
stage=$(mktemp -d "$output/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# The tree the release is made of: the image's build context and the files shipped beside it.
src=$root
if [ "$worktree" = 0 ]; then
    src=$stage/src
    mkdir -p "$src"
    git -C "$root" archive --format=tar "$rev" | tar -x -C "$src"
    [ -f "$root/Package.resolved" ] && cp "$root/Package.resolved" "$src/"
    log "source: git archive $rev ($(git -C "$root" rev-parse --short "$rev"))"
fi

if [ "$build" = 1 ]; then
    proxy_args=()
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
        [ -n "${!v:-}" ] && proxy_args+=(--build-arg "$v=${!v}")
    done
    log "building $BOT_IMAGE (builder $SWIFT_IMAGE, runtime $RUNTIME_IMAGE)"
    started=$SECONDS
    build_image() {
        docker_build --network "$DOCKER_BUILD_NETWORK" --progress plain \
            --build-arg "SWIFT_IMAGE=$SWIFT_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE" \
            --build-arg "UPTIMEBOT_VERSION=$version" "${proxy_args[@]}" \
            -t "$BOT_IMAGE" "$src" 2>&1 | tee "$stage/build.log"
    }
    if ! build_image; then
        # BuildKit (docker.io 20.10) now and then loses a cached layer's snapshot on overlay2 and fails
        # with "failed to prepare …: open /var/lib/docker/overlay2/…/committed: no such file or
        # directory" (moby/buildkit#5469). The cache, not the source, is broken: drop the build cache
        # and build once more. Any other failure is the build's own and ends the release.
        grep -q 'failed to prepare .*no such file or directory' "$stage/build.log" || exit 1
        log "BuildKit lost a cached layer (moby/buildkit#5469): pruning the build cache, building once more"
        docker builder prune -af >/dev/null
        build_image
    fi
    log "built in $((SECONDS - started)) s"
fi
docker image inspect "$BOT_IMAGE" >/dev/null 2>&1 || { log "$BOT_IMAGE not found (build it, or drop --no-build)"; exit 1; }
docker image inspect "$MONGO_IMAGE" >/dev/null 2>&1 || { log "$MONGO_IMAGE not found (scripts/docker-base-images.sh mongo)"; exit 1; }

dir=$stage/$name
mkdir -p "$dir/env" "$dir/images"

echo "$version" >"$dir/VERSION"
install -m 0755 "$src/scripts/install.sh" "$src/scripts/upgrade.sh" "$src/scripts/mongo-shell.py" \
    "$src/scripts/mongo-entrypoint.sh" "$src/scripts/backup.sh" "$src/scripts/restore.sh" "$dir/"
install -m 0644 "$src/env/example.env" "$src/env/prod.env" "$src/env/proxmox.env" "$dir/env/"
if [ -f "$src/docs/OPERATIONS.md" ]; then install -m 0644 "$src/docs/OPERATIONS.md" "$dir/"; fi
# Pin the images of this release; prod.env may still override them (UPTIMEBOT_IMAGE, MONGO_IMAGE).
sed -e "s|\${UPTIMEBOT_IMAGE:-uptimebot/uptime-bot:latest}|\${UPTIMEBOT_IMAGE:-$BOT_IMAGE}|" \
    -e "s|\${MONGO_IMAGE:-uptimebot/mongo:6.0.5}|\${MONGO_IMAGE:-$MONGO_IMAGE}|" \
    "$src/docker-compose.prod.yml" >"$dir/docker-compose.prod.yml"
grep -q "$BOT_IMAGE" "$dir/docker-compose.prod.yml" || { log "could not pin the image tag in docker-compose.prod.yml"; exit 1; }

log "docker save $BOT_IMAGE"
docker save -o "$dir/images/uptime-bot-$version.tar" "$BOT_IMAGE"
log "docker save $MONGO_IMAGE"
docker save -o "$dir/images/mongo.tar" "$MONGO_IMAGE"

(cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)

# Small files first, images last: a truncated download still yields SHA256SUMS and install.sh,
# which then refuse the missing or short images.
log "packing $name.tar.gz"
(cd "$stage" && {
    echo "$name/SHA256SUMS"
    (cd "$name" && find . -type f ! -path './images/*' ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort) | sed "s|^|$name/|"
    (cd "$name" && find images -type f | LC_ALL=C sort) | sed "s|^|$name/|"
} | tar --owner=0 --group=0 --numeric-owner -czf "$output/$name.tar.gz.partial" -T -)
mv "$output/$name.tar.gz.partial" "$output/$name.tar.gz"
(cd "$output" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

log "images: $(docker image inspect -f '{{.Size}}' "$BOT_IMAGE" | awk '{printf "%.1f MB", $1/1e6}') bot, $(docker image inspect -f '{{.Size}}' "$MONGO_IMAGE" | awk '{printf "%.1f MB", $1/1e6}') mongo"
log "release: $output/$name.tar.gz ($(du -h "$output/$name.tar.gz" | cut -f1)), checksum in $name.tar.gz.sha256"
echo "$output/$name.tar.gz"
