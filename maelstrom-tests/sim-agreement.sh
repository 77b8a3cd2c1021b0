#!/usr/bin/env bash
# Agreement of `launcher sim` with the process harness (docs/sim.md#agreement-with-the-process-harness): runs
# each catalogue row P times through real processes (`launcher test --seed 1..P`) and S seeds in simulation
# (`launcher sim --seeds S`), and prints per row the verdicts of both, the medians of completed operations and
# of servers msgs-per-op, and the msgs-per-op ratio; a ratio outside ±15 % is flagged with "!". Timer-driven
# protocols send a fixed number of messages per second, so their msgs-per-op follows the operations a run
# completes: compare the ops columns before reading a ratio (a loaded machine completes fewer).
# Process runs that did not end valid are kept under store/sim-agreement/ and named.
#
#   maelstrom-tests/sim-agreement.sh [process-runs=3] [sim-seeds=5] [row-id…]     (default: every row)
#
# Process runs are sequential (2-core machine); a full catalogue takes about P × 20 min.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
P="${1:-3}"; S="${2:-5}"; shift 2 || shift $#
[[ -x target/launcher ]] || mvn -q -B package -DskipTests
L="$root/target/launcher"
store="$(mktemp -d -t sim-agreement.XXXXXX)"
trap 'rm -rf "$store"' EXIT
machine_line
if [[ $# -gt 0 ]]; then ids=("$@"); else mapfile -t ids < <(grep -v '^#' maelstrom-tests/catalogue.tsv | cut -f1 | grep .); fi

# summary DIR…: "<valid>/<runs> <median ops> <median servers msgs-per-op>" over the results.json files under DIRs
summary() {
  python3 - "$@" <<'EOF'
import json, statistics, sys, pathlib
rs = [json.load(open(p)) for d in sys.argv[1:] for p in pathlib.Path(d).rglob('results.json')]
ok = sum(1 for r in rs if r.get('valid?') is True)
m = [r['net']['servers']['msgs-per-op'] for r in rs if r.get('net', {}).get('servers', {}).get('msgs-per-op') is not None]
ops = [r['stats']['count'] for r in rs if 'count' in r.get('stats', {})]
print(f"{ok}/{len(rs)}", round(statistics.median(ops)) if ops else "-", round(statistics.median(m), 3) if m else "-")
EOF
}

printf '%-20s %-8s %-7s %-9s %-8s %-7s %-9s %s\n' row process ops msgs/op sim ops msgs/op sim/process
for id in "${ids[@]}"; do
  row="$(catalogue_row "$id")"
  read -r -a node <<<"$(cut -f2 <<<"$row")"
  read -r -a flags <<<"$(cut -f3 <<<"$row")"
  for s in $(seq "$P"); do
    if ! "$L" test "${flags[@]}" --seed "$s" --store "$store/$id/p$s" --bin "$L" "${node[@]}" >"$store/$id-p$s.log" 2>&1; then
      keep="store/sim-agreement/$id-p$s"; rm -rf "$keep"; mkdir -p "$keep"
      cp -r "$store/$id/p$s/." "$store/$id-p$s.log" "$keep/"
      echo "  $id process seed $s did not end valid: $keep" >&2
    fi
  done
  "$L" sim "${flags[@]}" --seeds "$S" --store "$store/$id/sim" "${node[@]}" >/dev/null 2>&1 || true
  read -r pv po pm < <(summary "$store/$id"/p*)
  read -r sv so sm < <(summary "$store/$id/sim")
  ratio="$(python3 -c "
p, s = '$pm', '$sm'
if '-' in (p, s) or float(p) == 0: print('-')
else: r = float(s) / float(p); print(f\"{r:.2f}{' !' if abs(r - 1) > 0.15 else ''}\")")"
  printf '%-20s %-8s %-7s %-9s %-8s %-7s %-9s %s\n' "$id" "$pv" "$po" "$pm" "$sv" "$so" "$sm" "$ratio"
done
