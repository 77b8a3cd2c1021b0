#!/usr/bin/env bash
# Two builds or settings side by side on catalogue rows, through the process harness: for each row, RUNS runs
# of side A and of side B, alternated (A B B A A B …, so that a machine growing busier or quieter costs both
# sides alike), and per side the medians of the row's figures: completed operations, ok-fraction, servers
# msgs-per-op, latency of ok operations (p50, p99, max; from history.jsonl) and, for broadcast, stable latency
# (p50, max); then B / A for each. A figure that is worse on A by more than 5 % is flagged with "!" (for
# operations and ok-fraction lower is worse, for the others higher), so with A the build under test and B
# the one before it, every "!" is a regression to look at. Maxima are single samples and move most.
#
#   maelstrom-tests/bench-ab.sh RUNS 'A-ENV' 'B-ENV' ROW…
#
# Each ENV is a space-separated list of VAR=value words set for that side's harness and nodes; '' is this
# build as it is. LAUNCHER=PATH runs another build (a copy of its target/), GLOMERS_NO_AOT=1 runs the nodes on
# JDK 17 + AppCDS, GLOMERS_WARMUP=N sets the warm-up (docs/runtime.md). Example: this build against the
# runtime before its start-up work, on the latency-bound rows (docs/runtime.md#measured-figures):
#
#   maelstrom-tests/bench-ab.sh 3 '' 'LAUNCHER=../old/target/launcher GLOMERS_NO_AOT=1' 3d 3d-latency 5c
#
# Run it on an otherwise idle machine; the load average is printed before and after.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
[[ $# -ge 4 ]] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
runs="$1"; envs=("$2" "$3"); shift 3
[[ -x target/launcher ]] || mvn -B -ntp -q package -DskipTests
store="$(mktemp -d -t bench-ab.XXXXXX)"
trap 'rm -rf "$store"' EXIT
machine_line
echo "# A: ${envs[0]:-this build}; B: ${envs[1]:-this build}; $runs runs each, alternated"

# run SIDE ID K: one run of row ID on side SIDE (0 = A, 1 = B), its results under $store/ID/SIDE/K
run() {
  local side="$1" id="$2" k="$3" row node flags vars L
  row="$(catalogue_row "$id")"
  read -r -a node <<<"$(cut -f2 <<<"$row")"
  read -r -a flags <<<"$(cut -f3 <<<"$row")"
  read -r -a vars <<<"${envs[$side]}"
  L="$root/target/launcher"
  for v in "${vars[@]}"; do [[ "$v" != LAUNCHER=* ]] || L="$(readlink -f "${v#LAUNCHER=}")"; done
  env "${vars[@]}" "$L" test "${flags[@]}" --seed "$k" --store "$store/$id/$side/$k" --bin "$L" "${node[@]}" \
    >"$store/$id-$side-$k.log" 2>&1 || echo "  $id side $((side)) run $k did not end valid (exit $?)" >&2
}

for id in "$@"; do
  for k in $(seq "$runs"); do
    if ((k % 2)); then run 0 "$id" "$k"; run 1 "$id" "$k"; else run 1 "$id" "$k"; run 0 "$id" "$k"; fi
  done
  python3 - "$id" "$store/$id/0" "$store/$id/1" "$root/maelstrom-tests/faults-table.py" <<'EOF'
import importlib.util, json, pathlib, statistics, sys

# the op-latency and quantile rules of bench-faults.sh's table, so both scripts report the same figures
spec = importlib.util.spec_from_file_location('faults_table', sys.argv[4])
faults_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults_table)
op_latencies, q = faults_table.op_latencies, faults_table.quantile

def figures(run):
    r = json.load(open(run / 'results.json'))
    lat = op_latencies(run / 'history.jsonl')
    stable = (r.get('workload') or {}).get('stable-latencies') or {}
    return {
        'ops': r.get('stats', {}).get('count'),
        'ok-fraction': r.get('availability', {}).get('ok-fraction'),
        'msgs/op': r.get('net', {}).get('servers', {}).get('msgs-per-op'),
        'op p50': q(lat, 0.5), 'op p99': q(lat, 0.99), 'op max': lat[-1] if lat else None,
        'stable p50': stable.get('0.5'), 'stable max': stable.get('1'),
    }

def side(d):
    runs = [figures(p.parent) for p in sorted(pathlib.Path(d).glob('*/*/*/results.json'))]
    meds = {}
    for k in (runs[0] if runs else {}):
        xs = [r[k] for r in runs if r[k] is not None]
        meds[k] = statistics.median(xs) if xs else None
    return len(runs), meds

higher_is_better = {'ops', 'ok-fraction'}
(na, a), (nb, b) = side(sys.argv[2]), side(sys.argv[3])
print(f"{sys.argv[1]}  (A {na} runs, B {nb} runs)")
print(f"  {'figure':<12} {'A':>10} {'B':>10} {'B / A':>8}")
for k in a:
    if a[k] is None and b.get(k) is None:
        continue
    fa, fb = a[k], b.get(k)
    ratio = ''
    if fa and fb is not None:
        r = fb / fa
        worse = r > 1 / 0.95 if k in higher_is_better else r < 0.95
        ratio = f"{r:.2f}{' !' if worse else ''}"
    fmt = lambda x: '-' if x is None else (f"{x:.4g}" if isinstance(x, float) else str(x))
    print(f"  {k:<12} {fmt(fa):>10} {fmt(fb):>10} {ratio:>8}")
EOF
done
machine_line
