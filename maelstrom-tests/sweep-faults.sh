#!/usr/bin/env bash
# Our nodes under every fault at once (docs/faults.md#the-fault-sweep): each row's graded flags plus
# `--nemesis partition,kill,pause,duplicate`, over many seeds in simulation and through the process harness.
# Usage: maelstrom-tests/sweep-faults.sh [SIM-SEEDS] [PROCESS-SEEDS] [ROW…]
#   SIM-SEEDS      `launcher sim --seeds N` per row (default 100; 0 skips the simulation)
#   PROCESS-SEEDS  `launcher test --seed S` for S = 1..N per row (default 3; 0 skips the process harness), or
#                  for S = A..B with the range `A..B` (to add seeds to an earlier sweep)
#   ROW            a catalogue id (maelstrom-tests/catalogue.tsv), optionally followed by /-separated extras:
#                  `--flag` words are added to the harness flags, others to the node's arguments
#                  (`3c/profile=efficient`, `5c-3nodes/mode=owner`, `6c/--strict`); default: every row below.
# The row's `--nemesis` is replaced and its `--availability` dropped: while a node is killed its clients'
# operations time out, so total availability cannot hold under `kill` for any node, however correct.
# Prints one table (row, backend, seeds, valid / invalid / unknown / crash, operations, wall time, the failing
# seeds) and the replay command of every failing seed. Runs under `nice -n 10`; THREADS=N sets sim's --threads (default 1, the
# machine being shared). KEEP=1 keeps the store (its path is printed); the run directory and harness output of
# every process run that did not end valid are kept anyway, under store/sweep-faults/<time>/. LAUNCHER=PATH
# sweeps another build (a copy of target/, so that rebuilding meanwhile does not change the build under test).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
sim_seeds="${1:-100}"
proc_seeds="${2:-3}"
proc_first=1
if [[ "$proc_seeds" =~ ^([0-9]+)\.\.([0-9]+)$ ]]; then proc_first="${BASH_REMATCH[1]}"; proc_seeds="${BASH_REMATCH[2]}"; fi
shift $(($# < 2 ? $# : 2))
rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(
  1 2
  3c 3c/profile=efficient 3c/profile=latency 3c/profile=hybrid
  3d 3d/profile=efficient 3d/profile=latency 3d/profile=hybrid
  4 pn-counter g-set
  5b 5c 5c-3nodes 5c-3nodes/mode=owner
  6c/--strict list-append-rc/--strict rw-strict/--strict list-append-strict/--strict
  lin-kv)
faults=(--nemesis partition,kill,pause,duplicate)
L="$(readlink -f "${LAUNCHER:-$root/target/launcher}")"
[[ -x "$L" ]] || mvn -B -ntp -q package -DskipTests
table="$root/maelstrom-tests/sweep-table.py"
store="$(mktemp -d -t sweep-faults.XXXXXX)"
if [[ "${KEEP:-0}" == 1 ]]; then echo "# store: $store"; else trap 'rm -rf "$store"' EXIT; fi
failed="$root/store/sweep-faults/$(date -u +%Y%m%dT%H%M%S)"
machine_line
echo "# sim: --seeds $sim_seeds --threads ${THREADS:-1}; process: seeds $proc_first..$proc_seeds; faults: ${faults[*]}"

# sweep SPEC: runs one row on both backends and appends its table rows to $store/table
sweep() {
  local spec="$1" t0 id extras line node flags=() clean=() extra_node=() extra_flags=() dir
  IFS=/ read -r -a extras <<<"$spec"
  id="${extras[0]}"
  for x in "${extras[@]:1}"; do
    if [[ "$x" == --* ]]; then extra_flags+=("$x"); else extra_node+=("$x"); fi
  done
  line="$(catalogue_row "$id")"
  read -r -a node <<<"$(cut -f2 <<<"$line")"
  node+=("${extra_node[@]}")
  read -r -a flags <<<"$(cut -f3 <<<"$line")"
  mapfile -t clean < <(without_faults "${flags[@]}")
  clean+=("${extra_flags[@]}" "${faults[@]}")
  dir="$store/${spec//\//_}"
  mkdir -p "$dir/proc"
  if ((sim_seeds > 0)); then
    t0=$SECONDS
    nice -n 10 "$L" sim "${clean[@]}" --seeds "$sim_seeds" --threads "${THREADS:-1}" --store "$dir/sim" "${node[@]}" \
      >"$dir/sim.log" 2>&1 || true
    WALL=$((SECONDS - t0)) "$table" "$spec" sim "target/launcher sim --seed {seed} ${clean[*]} ${node[*]}" "$dir"/sim/*/*-seeds >"$dir/rows"
  fi
  if ((proc_seeds > 0)); then
    t0=$SECONDS
    for s in $(seq "$proc_first" "$proc_seeds"); do
      local rc=0
      timeout -k 10 600 nice -n 10 "$L" test "${clean[@]}" --seed "$s" --store "$dir/p$s" --bin "$L" "${node[@]}" \
        >"$dir/p$s.log" 2>&1 || rc=$?
      if [[ -e "$dir/p$s/latest" ]]; then ln -s "$(readlink -f "$dir/p$s/latest")" "$dir/proc/$s"; else mkdir "$dir/proc/$s"; fi
      if ((rc != 0)); then
        local keep="$failed/${spec//\//_}-seed-$s"
        mkdir -p "$keep" && cp "$dir/p$s.log" "$keep/harness.log"
        [[ ! -d "$dir/p$s" ]] || cp -r "$dir/p$s/." "$keep/"
      fi
    done
    WALL=$((SECONDS - t0)) "$table" "$spec" process "target/launcher test ${clean[*]} --seed {seed} --bin target/launcher ${node[*]}" \
      "$dir"/proc/* >>"$dir/rows"
  fi
  grep -v '^# replay' "$dir/rows" || true
  cat "$dir/rows" >>"$store/table"
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$dir"
}

echo "# progress:"
for spec in "${rows[@]}"; do sweep "$spec"; done
machine_line
echo
echo "| row | backend | seeds | valid | invalid | unknown | crash | all down | ops p50 (min) | wall s | failing seeds |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
grep -v '^# replay' "$store/table" || true
echo
grep '^# replay' "$store/table" | sed 's/^# replay: //' || true
[[ ! -d "$failed" ]] || echo "# failing process runs kept in $failed"
