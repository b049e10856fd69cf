#!/usr/bin/env bash
# Checks the operations kit in deploy/ (CI runs it; installs what it needs on Debian 12 as root):
#   - systemd-analyze verify on every unit in deploy/systemd (paths of the installed layout
#     replaced by this checkout's files, so the units are verified as they would load);
#   - promtool check rules / check config on deploy/prometheus;
#   - every uptimebot_* metric named by the rules and the Grafana dashboard is one the bot exports
#     (Sources/MetricNames/MetricName.swift), and the dashboard is valid JSON.
# Usage: scripts/check-deploy.sh        (exit 0 = all good)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
need=()
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v promtool >/dev/null || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "check-deploy: needs ${need[*]} (apt-get install ${need[*]})" >&2; exit 2; }
    echo "check-deploy: installing ${need[*]} (Debian)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

# --- systemd units ------------------------------------------------------------------------------
binary=/bin/true # stands in for /usr/local/bin/uptime-bot when this checkout has no build
for candidate in "$root/.build/release/uptime-bot" "$root/.build/debug/uptime-bot"; do
    [ -x "$candidate" ] && { binary=$candidate; break; }
done
mkdir -p "$work/units"
for unit in "$root"/deploy/systemd/*.service "$root"/deploy/systemd/*.timer; do
    sed -e "s|/usr/local/bin/uptime-bot|$binary|g" -e "s|/opt/uptime-bot/current/backup.sh|$root/scripts/backup.sh|g" \
        "$unit" >"$work/units/$(basename "$unit")"
done
for unit in "$work"/units/*; do
    # Judged by what it says, not its exit status: on a machine without Docker's unit (a fresh CI
    # machine before the Docker test installs it) the backup unit's Requires=docker.service fails
    # the verify with nothing else wrong.
    out=$(cd "$work/units" && systemd-analyze verify --man=no "$unit" 2>&1) || true
    if [ -z "$(grep -v -E 'Failed to .*(bus|D-Bus)|Unit .*docker.service not found' <<<"$out")" ]; then
        ok "systemd-analyze verify $(basename "$unit")"
    else
        fail "systemd-analyze verify $(basename "$unit"): $out"
    fi
done
grep -q '^Restart=always$' "$root/deploy/systemd/uptime-bot.service" && grep -q '^AmbientCapabilities=CAP_NET_RAW$' "$root/deploy/systemd/uptime-bot.service" \
    && grep -q '^NoNewPrivileges=yes$' "$root/deploy/systemd/uptime-bot.service" && grep -q '^ProtectSystem=strict$' "$root/deploy/systemd/uptime-bot.service" \
    && ok "uptime-bot.service: Restart=always, CAP_NET_RAW only, NoNewPrivileges, ProtectSystem=strict" \
    || fail "uptime-bot.service lacks Restart=always / AmbientCapabilities=CAP_NET_RAW / NoNewPrivileges / ProtectSystem=strict"

# --- Prometheus ---------------------------------------------------------------------------------
rules=$root/deploy/prometheus/uptimebot-rules.yml
if out=$(promtool check rules "$rules" 2>&1); then ok "promtool check rules: $(grep -o 'SUCCESS: [0-9]* rules found' <<<"$out")"; else fail "promtool check rules: $out"; fi
sed "s|/etc/prometheus/rules/uptimebot-rules.yml|$rules|" "$root/deploy/prometheus/prometheus.yml" >"$work/prometheus.yml"
if out=$(promtool check config "$work/prometheus.yml" 2>&1); then ok "promtool check config prometheus.yml"; else fail "promtool check config: $out"; fi

# --- metric names -------------------------------------------------------------------------------
if out=$(python3 - "$root" <<'EOF'
import json, re, sys, pathlib
root = pathlib.Path(sys.argv[1])
exported = set(re.findall(r'= "(uptimebot_[a-z_]+)"', (root / "Sources/MetricNames/MetricName.swift").read_text()))
def used(text):
    return {re.sub(r"_(bucket|count|sum)$", "", name) for name in re.findall(r"\b(uptimebot_[a-z_]+)", text)}
dashboard = json.loads((root / "deploy/grafana/uptimebot-dashboard.json").read_text())
exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))
exprs += " " + " ".join(v.get("query", "") for v in dashboard["templating"]["list"] if isinstance(v.get("query"), str))
problems = []
for source, names in (("dashboard", used(exprs)), ("rules", used((root / "deploy/prometheus/uptimebot-rules.yml").read_text()))):
    unknown = sorted(names - exported - {"uptimebot_ready", "uptimebot_dmz"})
    if unknown:
        problems.append(f"{source} uses metrics the bot does not export: {', '.join(unknown)}")
if problems:
    print("; ".join(problems)); sys.exit(1)
print(f"{len(dashboard['panels'])} panels; every metric is in MetricName ({len(exported)} exported)")
EOF
); then ok "grafana dashboard and rules: $out"; else fail "$out"; fi

if [ "$failures" -gt 0 ]; then
    echo "check-deploy: $failures failure(s)" >&2
    exit 1
fi
echo "check-deploy: all good"
