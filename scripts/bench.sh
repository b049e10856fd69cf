#!/usr/bin/env bash
# Runs the benchmarks (release build) with their peers beside them, against a throwaway real mongod.
#   scripts/bench.sh              all of them
#   scripts/bench.sh fsm bot      some of them (fsm, bot, icmp, http, tcp, dns, memory, storm, isolation, cluster)
# Figures are printed; nothing is asserted. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh fping dnsmasq-base prometheus-blackbox-exporter nginx-light iproute2 python3-pip
eval "$(scripts/mongod.sh start)"
trap 'scripts/mongod.sh stop "$UPTIMEBOT_TEST_MONGOD_DIR"' EXIT

swift build -c release --scratch-path .build-release --product uptime-bench
# The cluster benchmark starts real uptime-bot processes.
swift build -c release --scratch-path .build-release --product uptime-bot
bench=.build-release/release/uptime-bench
names=("$@")
((${#names[@]})) || names=(fsm bot icmp http tcp dns memory storm isolation cluster)
for name in "${names[@]}"; do
    echo "=== uptime-bench $name ==="
    if [[ $name == bot ]]; then
        # Saturated, then the issue's load (2,000 updates/s) five times: tails move from run to run here.
        "$bench" bot --rounds 30
        "$bench" bot --rate 2000 --rounds 30 --runs 5
    else
        "$bench" "$name"
    fi
done
