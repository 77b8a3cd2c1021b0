#!/usr/bin/env bash
# Kafka benchmark: runs one configuration several times (fresh seed each) through the embedded harness and
# prints per-run figures and medians: server/total msgs-per-op, availability, achieved throughput, worst
# realtime lag (and the worst after the first 5 s), send/poll latency p50/p99. One run at a time (2-core machine).
#
#   maelstrom-tests/bench-kafka.sh [runs=5] [maelstrom flags…]      default flags: challenge 5c
#   NODE_ARGS="kafka mode=owner" maelstrom-tests/bench-kafka.sh 5 -w kafka --node-count 2 --concurrency 2n --time-limit 20 --rate 1000
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${1:-5}"; shift || true
flags=("$@")
[[ ${#flags[@]} -gt 0 ]] || flags=(-w kafka --node-count 2 --concurrency 2n --time-limit 20 --rate 1000)
node_args="${NODE_ARGS:-kafka}"
[[ -x target/launcher && -f target/glomers.jar ]] || mvn -q -B package -DskipTests
mvn -q -B test-compile   # KafkaBenchStats (test tree) and the checker it reuses for the steady-state lag
limit=60; rate=5
for ((i = 0; i < ${#flags[@]}; i++)); do
  case "${flags[$i]}" in
    --time-limit) limit="${flags[$((i + 1))]}" ;;
    --rate) rate="${flags[$((i + 1))]}" ;;
  esac
done
store="store/bench-kafka/$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$store"
machine_line
echo "# target/launcher test ${flags[*]} --bin target/launcher $node_args   (x$runs)"
dirs=()
for ((r = 1; r <= runs; r++)); do
  # shellcheck disable=SC2086
  target/launcher test "${flags[@]}" --bin "$root/target/launcher" --store "$store/run$r" $node_args \
    > "$store/run$r.log" 2>&1 || true
  d="$(ls -d "$store/run$r"/kafka/*/ | tail -1)"
  dirs+=("$d")
done
cp="target/test-classes:target/classes:target/lib/*"
java -cp "$cp" glomers.bench.KafkaBenchStats "$limit" "$rate" "${dirs[@]}"
