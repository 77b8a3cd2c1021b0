#!/usr/bin/env bash
# What the fault nemeses cost, per workload (docs/faults.md#what-the-faults-cost).
# Usage: maelstrom-tests/bench-faults.sh [ROW…]              simulation, `--seeds 5` per row and mode
#        PROCESS=1 maelstrom-tests/bench-faults.sh ROW…     the process harness instead, seeds 1..5 one run each
# ROWs are catalogue ids (maelstrom-tests/catalogue.tsv); default: 1 2 3c 3d 4 pn-counter g-set 5c 6c
# list-append-rc lin-kv. Each row runs under these modes:
#   none       the row's flags without any --nemesis
#   catalogue  the row's flags exactly as catalogued (only when they carry a --nemesis)
#   kill       --nemesis kill
#   all        --nemesis partition,kill,pause,duplicate
# `--availability total` is dropped from every mode but `catalogue` (a killed node cannot answer).
# Prints a markdown table of medians over the 5 runs (faults-table.py: ok-fraction, latency p50/p99/max in ms
# — broadcast's stable latencies, else every ok operation's — servers msgs-per-op), and each failing run's
# replay command. PROCESS=1 takes ≈ (time limit + 10 s quiet period) × 5 × modes per row on a loaded 2-core
# machine (≈ 10 min for 3c), which is why the default is the simulation. RUNS=N changes the 5; KEEP=1 keeps
# the store (its path is printed).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${RUNS:-5}"
rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(1 2 3c 3d 4 pn-counter g-set 5c 6c list-append-rc lin-kv)
[[ -x target/launcher ]] || mvn -B -ntp -q package -DskipTests
L="$root/target/launcher"
table="$root/maelstrom-tests/faults-table.py"
store="$(mktemp -d -t bench-faults.XXXXXX)"
if [[ "${KEEP:-0}" == 1 ]]; then echo "# store: $store"; else trap 'rm -rf "$store"' EXIT; fi
machine_line
echo "# backend: $([[ "${PROCESS:-0}" == 1 ]] && echo "process harness, seeds 1..$runs" || echo "simulation, --seeds $runs")"

# measure ROW MODE NODE-ARGS FLAG…: runs the row $runs times and prints its table row
measure() {
  local id="$1" mode="$2" node="$3"; shift 3
  local dir="$store/$id-$mode" node_args
  read -r -a node_args <<<"$node"
  mkdir -p "$dir"
  if [[ "${PROCESS:-0}" == 1 ]]; then
    local runs_dirs=()
    for s in $(seq "$runs"); do
      "$L" test "$@" --seed "$s" --store "$dir/$s" --bin "$L" "${node_args[@]}" >/dev/null 2>&1 || true
      runs_dirs+=("$(readlink -f "$dir/$s/latest")")
    done
    "$table" "$id" "$mode" "${runs_dirs[@]}" | sed "s|# failing: $dir/\([0-9]*\)/.*|# failing: target/launcher test $* --seed \1 --bin target/launcher $node|"
  else
    "$L" sim "$@" --seeds "$runs" --store "$dir" "${node_args[@]}" >/dev/null 2>&1 || true
    "$table" "$id" "$mode" "$dir"/*/*-seeds | sed "s| --store $dir||"
  fi
}

echo "| row | mode | runs | failing | ok-fraction | lat p50 | lat p99 | lat max | msgs/op | faults |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for id in "${rows[@]}"; do
  line="$(catalogue_row "$id")"
  node="$(cut -f2 <<<"$line")"
  read -r -a flags <<<"$(cut -f3 <<<"$line")"
  mapfile -t clean < <(without_faults "${flags[@]}")
  measure "$id" none "$node" "${clean[@]}"
  if [[ " ${flags[*]} " == *" --nemesis "* ]]; then measure "$id" catalogue "$node" "${flags[@]}"; fi
  measure "$id" kill "$node" "${clean[@]}" --nemesis kill
  measure "$id" all "$node" "${clean[@]}" --nemesis partition,kill,pause,duplicate
done
