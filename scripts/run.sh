#!/usr/bin/env bash
# Builds and runs the bot on this machine (Debian 12, as root installs the C libraries it needs).
# Settings come from the environment and .env (see env/example.env). Without MONGODB_URI the bot
# keeps everything in memory and says so. Extra arguments go to `uptime-bot run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product uptime-bot >&2
exec .build/release/uptime-bot run "$@"
