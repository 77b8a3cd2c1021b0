#!/usr/bin/env bash
# lin-kv benchmark: the target command over several seeds, with and without --latency 50.
#
#   maelstrom-tests/bench-linkv.sh            # 10 seeds × {latency 0, latency 50}, 60 s each (~25 min)
#   SEEDS=3 TIME=20 CONFIGS=lat0 maelstrom-tests/bench-linkv.sh
#
# Each run: java … glomers.cli.Main test -w lin-kv --node-count 5 --concurrency 10n --rate 100
#   --time-limit $TIME --nemesis partition [--latency 50] --seed $seed --bin target/launcher lin-kv
# One row per run (glomers.bench.LinKvStats --row, in the test tree), then per-column medians.
# Rows go to target/bench-linkv/<config>.tsv. Runs are sequential (2-core machine).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
SEEDS=${SEEDS:-10}
TIME=${TIME:-60}
CONFIGS=${CONFIGS:-"lat0 lat50"}
[ -x target/launcher ] && [ -f target/glomers.jar ] || mvn -q -B package -DskipTests
mvn -q -B test-compile   # LinKvStats (test tree)
CP="target/test-classes:target/glomers.jar:target/lib/*"
OUT=target/bench-linkv
mkdir -p "$OUT"
header="# exit valid ok-fraction served ok-outside served-outside read-p50 read-p99 write-p50 write-p99 cas-p50 cas-p99 servers-msgs/op ops"
for cfg in $CONFIGS; do
  case "$cfg" in
    lat0) extra=() ;;
    lat50) extra=(--latency 50) ;;
    *) echo "unknown config $cfg" >&2; exit 2 ;;
  esac
  rows="$OUT/$cfg.tsv"
  echo "$header" > "$rows"
  echo "== $cfg: -w lin-kv --node-count 5 --concurrency 10n --rate 100 --time-limit $TIME --nemesis partition ${extra[*]:-}"
  for seed in $(seq 1 "$SEEDS"); do
    set +e
    java -cp "$CP" glomers.cli.Main test -w lin-kv --bin target/launcher --node-count 5 --concurrency 10n \
      --rate 100 --time-limit "$TIME" --nemesis partition "${extra[@]}" --seed "$seed" lin-kv \
      > "$OUT/$cfg-seed$seed.log" 2>&1
    code=$?
    set -e
    dir=$(readlink -f store/latest)
    row=$(java -cp "$CP" glomers.bench.LinKvStats --row "$dir" "$code")
    printf 'seed %-3s %s\n' "$seed" "$row"
    echo "$row" >> "$rows"
  done
  echo "-- medians over $SEEDS runs ($cfg):"
  java -cp "$CP" glomers.bench.LinKvStats --medians "$rows"
done
