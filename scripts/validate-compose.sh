#!/usr/bin/env bash
# Validates the compose files and env templates without a Docker engine (CI-safe):
#   - `docker-compose config` (Debian's docker-compose 1.29, or `docker compose` v2) renders each
#     file with its env template;
#   - the rendered files keep what operators rely on: services/containers `mongodb` and
#     `uptime-bot`, NET_RAW, restart policy and log rotation where deployed, no build in prod;
#   - every bot variable documented in env/example.env reaches the bot in every compose file;
#   - no env template holds something that looks like a real bot token.
# Usage: scripts/validate-compose.sh        (exit 0 = all good)
# Installs Debian's docker-compose when neither compose is present and it runs as root (CI).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "validate-compose: installing docker-compose (Debian)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
if command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    echo "validate-compose: needs docker-compose (apt-get install docker-compose) or the docker compose plugin" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

# Variables the bot reads: example.env, up to the compose-only section, commented or not.
bot_vars=$(sed -n '1,/^# --- Docker compose only/p' "$root/env/example.env" \
    | sed -n -E 's/^#?([A-Za-z_][A-Za-z0-9_]*)=.*/\1/p' | sort -u)
[ -n "$bot_vars" ] || fail "no variables found in env/example.env"

for template in "$root"/env/*.env; do
    if grep -E -q '^BOT_TOKEN=[0-9]{6,}:[A-Za-z0-9_-]{30,}' "$template"; then
        fail "$(basename "$template") holds what looks like a real BOT_TOKEN"
    fi
done

# render FILE ENV → $work/<file>.rendered. Secrets in templates are placeholders; a token is
# supplied so the `:?` guards (which make a real run fail early) pass here.
render() {
    local file=$1 env=$2 dir=$work/${1%.yml}
    mkdir -p "$dir"
    cp "$root/$file" "$dir/"
    cp "$root/$env" "$dir/$(basename "$env")"
    # prod reads prod.env by that name from its own directory, as in a release.
    [ "$file" = docker-compose.prod.yml ] && cp "$root/$env" "$dir/prod.env"
    printf 'BOT_TOKEN=validate-only\nMONGO_INITDB_ROOT_PASSWORD=validate-only\nDNS_SERVER=10.0.0.53\nMONGO_KEYFILE=validate-only\n' >>"$dir/$(basename "$env")"
    (cd "$dir" && "${compose[@]}" --env-file "$(basename "$env")" -f "$file" config) >"$dir/rendered.yml" 2>"$dir/errors" \
        || { fail "$file with $env: $(cat "$dir/errors")"; return 1; }
    grep -v -E 'is not set|^$' "$dir/errors" >&2 || true
    ok "$file renders with $env" >&2
    echo "$dir/rendered.yml"
}

expect() { # expect RENDERED PATTERN DESCRIPTION
    if grep -E -q -- "$2" "$1"; then ok "$3"; else fail "$3"; fi
}
expect_not() {
    if grep -E -q -- "$2" "$1"; then fail "$3"; else ok "$3"; fi
}

check_common() { # check_common RENDERED NAME
    local r=$1 name=$2
    expect "$r" '^  mongodb:$' "$name: service mongodb"
    expect "$r" '^  uptime-bot:$' "$name: service uptime-bot"
    expect "$r" '^    container_name: mongodb$' "$name: container mongodb"
    expect "$r" '^    container_name: uptime-bot$' "$name: container uptime-bot"
    expect "$r" '^    - NET_RAW$' "$name: cap_add NET_RAW"
    expect "$r" 'condition: service_healthy' "$name: bot waits for a healthy mongodb"
}

check_hardened() { # check_hardened RENDERED NAME — #13: authentication, no published mongod, least privilege
    local r=$1 name=$2 mongodb
    mongodb=$(sed -n '/^  mongodb:$/,/^  [a-z-]*:$/p' "$r")
    expect "$r" 'mongo-entrypoint.sh' "$name: mongod started by mongo-entrypoint.sh (authentication)"
    expect "$r" '^      MONGO_INITDB_ROOT_PASSWORD: ' "$name: MongoDB root password from the env file"
    if grep -q '^    ports:' <<<"$mongodb"; then fail "$name: mongodb publishes a port"; else ok "$name: mongodb publishes no port"; fi
    [ "$(grep -c -E '^    - ALL$' "$r")" = 2 ] && ok "$name: cap_drop ALL on both" || fail "$name: cap_drop ALL on both"
    [ "$(grep -c -E '^    - no-new-privileges:true$' "$r")" = 2 ] && ok "$name: no-new-privileges on both" || fail "$name: no-new-privileges on both"
    [ "$(grep -c -E '^    read_only: true$' "$r")" = 2 ] && ok "$name: read-only root on both" || fail "$name: read-only root on both"
    [ "$(grep -c -E '^    mem_limit: ' "$r")" = 2 ] && ok "$name: memory limits on both" || fail "$name: memory limits on both"
    [ "$(grep -c -E '^    cpus: ' "$r")" = 2 ] && ok "$name: CPU limits on both" || fail "$name: CPU limits on both"
}

check_bot_env() { # check_bot_env RENDERED NAME — every documented variable is passed
    local r=$1 name=$2 var missing=()
    for var in $bot_vars; do
        grep -E -q "^      $var:" "$r" || missing+=("$var")
    done
    if [ ${#missing[@]} -eq 0 ]; then ok "$name: passes every variable of env/example.env"; else fail "$name: does not pass ${missing[*]}"; fi
}

if r=$(render docker-compose.yml env/example.env); then
    check_common "$r" dev
    check_bot_env "$r" dev
    expect "$r" '^    build:$' "dev: builds the bot"
else failures=$((failures + 1)); fi

if r=$(render docker-compose.proxmox.yml env/proxmox.env); then
    check_common "$r" proxmox
    check_bot_env "$r" proxmox
    expect "$r" '^    dns:$' "proxmox: DNS server set"
    expect "$r" '^      no_proxy: .*mongodb' "proxmox: no_proxy covers mongodb"
    expect "$r" '^        https?_proxy: ' "proxmox: proxy passed as build args"
    expect "$r" '^    restart: unless-stopped$' "proxmox: restart unless-stopped"
    expect "$r" 'max-size: ' "proxmox: log rotation"
    expect "$r" '^      ON_STARTUP_FAILURE: wait$' "proxmox: ON_STARTUP_FAILURE=wait"
    check_hardened "$r" proxmox
else failures=$((failures + 1)); fi

if r=$(render docker-compose.prod.yml env/prod.env); then
    check_common "$r" prod
    expect_not "$r" '^    build:' "prod: builds nothing"
    expect "$r" '^    pull_policy: never$' "prod: pulls nothing"
    expect "$r" '/data/mongodb:/data/db' "prod: MongoDB data under the release's data/"
    expect "$r" '^    restart: unless-stopped$' "prod: restart unless-stopped"
    expect "$r" 'max-size: ' "prod: log rotation"
    # env_file passes prod.env whole; check the template documents every variable instead.
    missing=()
    for var in $bot_vars; do grep -E -q "^#?$var=" "$root/env/prod.env" || missing+=("$var"); done
    if [ ${#missing[@]} -eq 0 ]; then ok "prod: env/prod.env lists every variable"; else fail "prod: env/prod.env lacks ${missing[*]}"; fi
    expect "$r" '^    dns:$' "prod: DNS server set"
    check_hardened "$r" prod
else failures=$((failures + 1)); fi

if r=$(render docker-compose.cluster.yml env/cluster.env); then
    check_bot_env "$r" cluster
    for member in mongodb-1 mongodb-2 mongodb-3; do
        expect "$r" "^  $member:\$" "cluster: member $member"
    done
    expect "$r" '^  uptime-bot:$' "cluster: first bot instance"
    expect "$r" '^  uptime-bot-2:$' "cluster: second bot instance"
    [ "$(grep -c -E 'mongo-replset-entrypoint.sh' "$r")" -ge 6 ] && ok "cluster: members start with the keyfile entrypoint" \
        || fail "cluster: members start with the keyfile entrypoint"
    [ "$(grep -c -E '^      MONGO_KEYFILE: ' "$r")" = 3 ] && ok "cluster: keyfile secret on every member" \
        || fail "cluster: keyfile secret on every member"
    expect "$r" "^      MONGO_INITIATOR: [\"']?1[\"']?\$" "cluster: one member initiates the set"
    expect "$r" 'replicaSet=rs0' "cluster: the bots' URI names the replica set"
    [ "$(grep -c -E "^      CLUSTER: [\"']?on[\"']?\$" "$r")" = 2 ] && ok "cluster: both bots are cluster members" \
        || fail "cluster: both bots are cluster members"
    [ "$(grep -c -E '^    - NET_RAW$' "$r")" = 2 ] && ok "cluster: NET_RAW on both bots" || fail "cluster: NET_RAW on both bots"
    expect "$r" '^    restart: unless-stopped$' "cluster: restart unless-stopped"
    expect "$r" 'max-size: ' "cluster: log rotation"
    expect_not "$r" '^    build:' "cluster: builds nothing"
else failures=$((failures + 1)); fi

if [ "$failures" -gt 0 ]; then
    echo "validate-compose: $failures failure(s)" >&2
    exit 1
fi
echo "validate-compose: all compose files valid"
