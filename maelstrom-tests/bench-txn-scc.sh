#!/usr/bin/env bash
# Strongly connected components of the list-append-rc row (docs/txn.md#large-sccs-and-maelstroms-cycle-search-timeout):
# for each run, the largest SCC the run's own read-committed check met (results.json workload.largest-sccs:
# ww, wr and rw edges, no realtime edges, as Maelstrom 0.2.3's Elle builds them under read-committed), and
# the largest after re-checking, again read-committed, only the transactions outside partition windows;
# beside availability and latency; then medians. Each seed runs twice: the row as catalogued and the row
# with --nemesis partition added (variant "part"), unless the row already has it.
#
#   maelstrom-tests/bench-txn-scc.sh              # 5 simulated seeds (target/launcher sim) and 2 real runs
#   SEEDS=3 REAL=0 ROW=list-append-rc maelstrom-tests/bench-txn-scc.sh
#
# Row columns: mode variant seed exit valid ok-fraction lat-p50-ms lat-p99-ms servers-msgs-per-op ops
# scc-overall scc-outside-partitions read-append-in-window (ok txns that both read and append, invoked in the
# busiest partition window: what one partition's SCC is made of). Rows go to target/bench-txn-scc/<row>.tsv. Runs are sequential.
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
echo "# mode variant seed exit valid ok-fraction lat-p50-ms lat-p99-ms servers-msgs-per-op ops scc-overall scc-outside-partitions read-append-in-window"
variants="catalogued"
case " $flags " in *" --nemesis "*) ;; *) variants="catalogued part" ;; esac

models() { # the row's --consistency-models, as the re-check's arguments
  printf '%s\n' "$flags" | sed -n 's/.*--consistency-models \([^ ]*\).*/\1/p' | tr ',' ' '
}

recorded() { # DIR: the first of the run's own results.json workload.largest-sccs, 0 when there is none
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])).get("workload",{}).get("largest-sccs") or [0]; print(s[0])' \
    "$1/results.json" 2>/dev/null || echo 0
}

rechecked() { # DIR: the first largest-sccs of the txn checker re-run on DIR's history with the row's models
  # shellcheck disable=SC2046
  java -cp "$CP" glomers.harness.workload.txn.TxnStats --check "$1" append $(models) \
    | sed -n 's/.*largest-sccs \[\([0-9]*\).*/\1/p' | sed 's/^$/0/'
}

one() { # MODE VARIANT SEED: runs, then prints and records one row
  local mode=$1 variant=$2 seed=$3 code dir f=$flags
  [ "$variant" = part ] && f="$flags --nemesis partition"
  set +e
  # shellcheck disable=SC2086
  if [ "$mode" = sim ]; then
    target/launcher sim $f --seed "$seed" $node_args > "$OUT/$ROW-$mode-$variant$seed.log" 2>&1
  else
    java -cp "$CP" glomers.cli.Main test $f --bin target/launcher $node_args > "$OUT/$ROW-$mode-$variant$seed.log" 2>&1
  fi
  code=$?
  set -e
  dir=$(readlink -f store/latest)
  rm -rf "$OUT/outside"
  local row window
  window=$(python3 maelstrom-tests/txn-outside-partitions.py "$dir" "$OUT/outside")
  row="$mode	$variant	$seed	$(java -cp "$CP" glomers.harness.workload.txn.TxnStats --row "$dir" "$code")	$(recorded "$dir")	$(rechecked "$OUT/outside")	$window"
  echo "$row"
  echo "$row" >> "$rows"
}

for v in $variants; do
  for seed in $(seq 1 "$SEEDS"); do one sim "$v" "$seed"; done
  for run in $(seq 1 "$REAL"); do one real "$v" "$run"; done
done

python3 - "$rows" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cols = {"ok-fraction": 5, "lat-p50-ms": 6, "lat-p99-ms": 7, "servers-msgs-per-op": 8, "ops": 9,
        "scc-overall": 10, "scc-outside-partitions": 11, "read-append-in-window": 12}
for variant in ("catalogued", "part"):
    for mode in ("sim", "real"):
        sel = [r for r in rows if r[0] == mode and r[1] == variant]
        if not sel:
            continue
        parts = []
        for name, i in cols.items():
            vals = sorted(float(r[i]) for r in sel if r[i] not in ("", "null", "None"))
            if vals:
                parts.append(f"{name} {vals[len(vals) // 2]:g} (max {vals[-1]:g})")
        valid = sum(r[4] == "true" for r in sel)
        print(f"-- medians over {len(sel)} {mode} {variant} runs: valid {valid}/{len(sel)}, " + ", ".join(parts))
PY
