#!/usr/bin/env bash
# Broadcast trade-off benchmark (challenge 3d/3e command, 25 nodes, --latency 100 --rate 100, 20 s).
#
# Sweeps the broadcast node's tuning settings, runs every point RUNS times through our harness (one test at
# a time), and writes the medians of servers msgs-per-op and of the stable-latency median / max to
# OUT/table.md, OUT/runs.tsv and a plot OUT/tradeoff.svg (published 3d/3e bars and public solutions drawn).
#
# Usage: maelstrom-tests/bench-broadcast.sh [RUNS=5] [POINT…]
#   POINT = space-separated key=value node settings in one argument, e.g. "tick-ms=400 sync=true".
#   Default points: the latency profile, star ticks 100…500 ms (sync from 300 ms), the efficient profile.
# Env: LAUNCHER (default target/launcher), OUT (default maelstrom-tests/results/broadcast-<utc time>), TIME_LIMIT (20), EXTRA (extra harness flags,
#      e.g. "--nemesis partition"), SEED0 (first seed, 1).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
[[ -x "$launcher" ]] || { mvn -q -B package -DskipTests; launcher="$(readlink -f target/launcher)"; }
runs="${1:-5}"
shift || true
points=("$@")
if [[ ${#points[@]} -eq 0 ]]; then
  points=("profile=latency" "tick-ms=100" "tick-ms=150" "tick-ms=200" "tick-ms=300 sync=true" "profile=efficient" "tick-ms=500 sync=true")
fi
out="${OUT:-maelstrom-tests/results/broadcast-$(date -u +%Y%m%dT%H%M%S)}"
mkdir -p "$out"
tsv="$out/runs.tsv"
printf 'point\trun\tseed\tvalid\tmsgs_per_op\tmedian_ms\tmax_ms\tp95_ms\tops\n' > "$tsv"
machine_line | tee "$out/machine.txt"
seed="${SEED0:-1}"
for p in "${points[@]}"; do
  for ((i = 1; i <= runs; i++)); do
    store="$out/store"
    # shellcheck disable=SC2086
    log="$("$launcher" test -w broadcast --bin "$launcher" --node-count 25 --time-limit "${TIME_LIMIT:-20}" \
      --rate 100 --latency 100 --seed "$seed" --store "$store" ${EXTRA:-} broadcast $p 2>&1 || true)"
    dir="$(printf '%s\n' "$log" | sed -n 's/^Results in \([^ ]*\).*/\1/p' | tail -1)"
    if [[ -z "$dir" || ! -f "$dir/results.json" ]]; then
      echo "run failed for '$p' seed $seed:"; printf '%s\n' "$log" | tail -5
      printf '%s\t%d\t%d\tcrash\t\t\t\t\t\n' "$p" "$i" "$seed" >> "$tsv"
    else
      python3 - "$dir/results.json" "$p" "$i" "$seed" >> "$tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
w = r["workload"]; q = w.get("stable-latencies", {})
print("\t".join(map(str, [sys.argv[2], sys.argv[3], sys.argv[4], r["valid?"], round(r["net"]["servers"]["msgs-per-op"], 3),
                          q.get("0.5", ""), q.get("1", ""), q.get("0.95", ""), r["stats"]["count"]])))
PY
      tail -1 "$tsv"
      rm -rf "$dir/net-journal.jsonl" "$dir/history.jsonl"
    fi
    seed=$((seed + 1))
  done
done
python3 "$root/maelstrom-tests/broadcast-plot.py" "$tsv" "$out"
echo "wrote $out/table.md and $out/tradeoff.svg"
