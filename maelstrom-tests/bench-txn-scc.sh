#!/usr/bin/env bash
# Strongly connected components of the list-append-rc row (docs/txn.md#large-sccs-and-maelstroms-cycle-search-timeout):
# for each run, the largest SCC of the history's full dependency graph (ww, wr, rw and realtime edges, as
# Maelstrom's Elle builds it; re-checked as strict-serializable) overall and over the transactions outside
# partition windows, beside availability and latency; then medians.
#
#   maelstrom-tests/bench-txn-scc.sh              # 5 simulated seeds (target/launcher sim) and 2 real runs
#   SEEDS=3 REAL=0 ROW=list-append-rc maelstrom-tests/bench-txn-scc.sh
#
# Row columns: mode seed valid ok-fraction lat-p50-ms lat-p99-ms servers-msgs-per-op ops scc-overall
# scc-outside-partitions. Rows go to target/bench-txn-scc/<row>.tsv. Runs are sequential (2-core machine).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
ROW=${ROW:-list-append-rc}
SEEDS=${SEEDS:-5}
REAL=${REAL:-2}
[ -x target/launcher ] && [ -f target/glomers.jar ] || mvn -q -B package -DskipTests
CP="target/glomers.jar:target/lib/*"
OUT=target/bench-txn-scc
mkdir -p "$OUT"
line=$(catalogue_row "$ROW")
node_args=$(printf '%s' "$line" | cut -f2)
flags=$(printf '%s' "$line" | cut -f3)
rows="$OUT/$ROW.tsv"
: > "$rows"
machine_line
echo "== $ROW: $flags  [node: $node_args]"
echo "# mode seed exit valid ok-fraction lat-p50-ms lat-p99-ms servers-msgs-per-op ops scc-overall scc-outside-partitions"

largest() { # DIR: the first of the checker's largest-sccs, 0 when there is none
  java -cp "$CP" glomers.harness.workload.txn.TxnStats --check "$1" append strict-serializable \
    | sed -n 's/.*largest-sccs \[\([0-9]*\).*/\1/p' | sed 's/^$/0/'
}

one() { # MODE SEED: runs, then prints and records one row
  local mode=$1 seed=$2 code dir
  set +e
  # shellcheck disable=SC2086
  if [ "$mode" = sim ]; then
    target/launcher sim $flags --seed "$seed" $node_args > "$OUT/$ROW-$mode$seed.log" 2>&1
  else
    java -cp "$CP" glomers.cli.Main test $flags --bin target/launcher $node_args > "$OUT/$ROW-$mode$seed.log" 2>&1
  fi
  code=$?
  set -e
  dir=$(readlink -f store/latest)
  rm -rf "$OUT/outside" && python3 maelstrom-tests/txn-outside-partitions.py "$dir" "$OUT/outside"
  local row
  row="$mode	$seed	$(java -cp "$CP" glomers.harness.workload.txn.TxnStats --row "$dir" "$code")	$(largest "$dir")	$(largest "$OUT/outside")"
  echo "$row"
  echo "$row" >> "$rows"
}

for seed in $(seq 1 "$SEEDS"); do one sim "$seed"; done
for run in $(seq 1 "$REAL"); do one real "$run"; done

python3 - "$rows" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cols = {"ok-fraction": 4, "lat-p50-ms": 5, "lat-p99-ms": 6, "servers-msgs-per-op": 7, "ops": 8,
        "scc-overall": 9, "scc-outside-partitions": 10}
for mode in ("sim", "real"):
    sel = [r for r in rows if r[0] == mode]
    if not sel:
        continue
    parts = []
    for name, i in cols.items():
        vals = sorted(float(r[i]) for r in sel)
        parts.append(f"{name} {vals[len(vals) // 2]:g} (max {vals[-1]:g})")
    valid = sum(r[3] == "true" for r in sel)
    print(f"-- medians over {len(sel)} {mode} runs: valid {valid}/{len(sel)}, " + ", ".join(parts))
PY
