#!/usr/bin/env bash
# Installs UptimeBot natively (no Docker) as a systemd service on Debian 12, as root:
#   - the binary → /usr/local/bin/uptime-bot (default: .build/release/uptime-bot of this checkout,
#     built with `swift build -c release` if missing)
#   - the system user and group `uptimebot` (no shell, no home)
#   - /etc/uptime-bot/uptime-bot.env from env/example.env on the first install, root:uptimebot 0640
#     (the bot reads it again on SIGHUP; nobody else can read it)
#   - deploy/systemd/uptime-bot.service → /etc/systemd/system/, enabled at boot, started, and
#     waited for until /health/ready answers 200
# MongoDB is not installed here: point MONGODB_URI at one (with a user and password).
# Usage: scripts/install-native.sh [--binary PATH] [--no-start]
# Exit: 0 installed (and healthy unless --no-start); 1 failed; 2 usage; 3 refused (fill the env file first).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
binary=""
start=1
while [ $# -gt 0 ]; do
    case $1 in
        --binary) binary=${2:?}; shift 2 ;;
        --no-start) start=0; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "install-native: unknown argument $1" >&2; exit 2 ;;
    esac
done
say() { printf '[install-native] %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "install-native: run as root (creates a user, writes /etc and /usr/local)" >&2; exit 2; }
command -v systemctl >/dev/null || { echo "install-native: systemd not found" >&2; exit 1; }

if [ -z "$binary" ]; then
    binary=$root/.build/release/uptime-bot
    [ -x "$binary" ] || { say "building (swift build -c release)"; (cd "$root" && swift build -c release); }
fi
[ -x "$binary" ] || { echo "install-native: $binary is not an executable" >&2; exit 1; }

getent group uptimebot >/dev/null || groupadd --system uptimebot
getent passwd uptimebot >/dev/null || useradd --system --gid uptimebot --no-create-home --home-dir /var/lib/uptime-bot \
    --shell /usr/sbin/nologin uptimebot
install -m 0755 "$binary" /usr/local/bin/uptime-bot.new && mv /usr/local/bin/uptime-bot.new /usr/local/bin/uptime-bot
install -d -m 0755 /usr/local/share/doc/uptime-bot
install -m 0644 "$root/docs/OPERATIONS.md" /usr/local/share/doc/uptime-bot/OPERATIONS.md

install -d -m 0750 -o root -g uptimebot /etc/uptime-bot
env=/etc/uptime-bot/uptime-bot.env
if [ ! -f "$env" ]; then
    install -m 0640 -o root -g uptimebot "$root/env/example.env" "$env"
    say "created $env from env/example.env"
fi
chown root:uptimebot "$env"
chmod 0640 "$env"
install -m 0644 "$root/deploy/systemd/uptime-bot.service" /etc/systemd/system/uptime-bot.service
systemctl daemon-reload
systemctl enable uptime-bot.service >/dev/null
say "uptime-bot.service installed and enabled at boot"

if ! grep -E -q '^BOT_TOKEN=[^[:space:]]+' "$env"; then
    say "set BOT_TOKEN and MONGODB_URI in $env, then: systemctl start uptime-bot"
    exit 3
fi
/usr/local/bin/uptime-bot doctor --env-file "$env" || say "doctor found problems (above); starting anyway, see the journal"
[ "$start" = 1 ] || exit 0
systemctl restart uptime-bot.service
port=$(sed -n 's/^HEALTH_PORT=//p' "$env" | tail -1)
for _ in $(seq 90); do
    if curl -fsS --noproxy '*' -o /dev/null "http://127.0.0.1:${port:-8080}/health/ready"; then
        say "uptime-bot is running and ready (journalctl -u uptime-bot -f)"
        exit 0
    fi
    sleep 2
done
say "not ready after 180 s: journalctl -u uptime-bot -n 50; curl -s 127.0.0.1:${port:-8080}/health/ready"
exit 1
