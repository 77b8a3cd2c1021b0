#!/usr/bin/env bash
# Transactions benchmark: the challenge commands of 6a–6c, txn-list-append read committed and
# both strict modes, over several seeds; one row per run, then medians.
#
#   maelstrom-tests/bench-txn.sh                     # all configs; 10 seeds for 6a–6c, 5 for the others
#   SEEDS=3 CONFIGS="6c rw-strict" maelstrom-tests/bench-txn.sh
#
# Each run: java … glomers.cli.Main test <flags of the catalogue row> --seed $seed --bin target/launcher <node-args>
# Row columns (glomers.harness.workload.txn.TxnStats --row): exit valid ok-fraction lat-p50-ms lat-p99-ms
# servers-msgs-per-op ops. Rows go to target/bench-txn/<config>.tsv. Runs are sequential (2-core machine).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
CONFIGS=${CONFIGS:-"6a 6b-i 6b-ii 6c list-append-rc rw-strict list-append-strict"}
[ -x target/launcher ] && [ -f target/glomers.jar ] || mvn -q -B package -DskipTests
CP="target/glomers.jar:target/lib/*"
OUT=target/bench-txn
mkdir -p "$OUT"
for cfg in $CONFIGS; do
  line=$(catalogue_row "$cfg")
  node_args=$(printf '%s' "$line" | cut -f2)
  flags=$(printf '%s' "$line" | cut -f3)
  case "$cfg" in 6*) seeds=${SEEDS:-10} ;; *) seeds=${SEEDS:-5} ;; esac
  rows="$OUT/$cfg.tsv"
  echo "# exit valid ok-fraction lat-p50-ms lat-p99-ms servers-msgs-per-op ops" > "$rows"
  echo "== $cfg: $flags  [node: $node_args]"
  for seed in $(seq 1 "$seeds"); do
    set +e
    # shellcheck disable=SC2086
    java -cp "$CP" glomers.cli.Main test $flags --seed "$seed" --bin target/launcher $node_args \
      > "$OUT/$cfg-seed$seed.log" 2>&1
    code=$?
    set -e
    dir=$(readlink -f store/latest)
    row=$(java -cp "$CP" glomers.harness.workload.txn.TxnStats --row "$dir" "$code")
    printf 'seed %-3s %s\n' "$seed" "$row"
    echo "$row" >> "$rows"
  done
  echo "-- medians over $seeds runs ($cfg): $(java -cp "$CP" glomers.harness.workload.txn.TxnStats --medians "$rows")"
done
