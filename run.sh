#!/usr/bin/env bash
# Runs the Gossip Glomers challenge catalogue (maelstrom-tests/catalogue.tsv) against our nodes.
#
#   ./run.sh                 every catalogue entry whose workload this build implements
#   ./run.sh 3d 4            just those entries
#   ./run.sh --list          the catalogue, with which entries this build can run
#   ./run.sh test FLAGS…     `maelstrom test FLAGS…` verbatim (any --bin) on the embedded harness
#   ./run.sh serve [FLAGS…]  `maelstrom serve`: a web page over store/ listing every run (launcher serve --help)
#   ./run.sh --sim [ID…]     the same entries in-process on virtual time (`launcher sim`, docs/sim.md); with
#                            SEEDS=N each entry runs seeds 1..N and its targets are checked against the medians
#
# With MAELSTROM=/path/to/maelstrom set, the same commands run the real Maelstrom 0.2.3 instead.
# Each entry runs `test <maelstrom-flags> --bin target/launcher <node-args>`, then its targets are checked
# against store/latest/results.json (results.edn for the real Maelstrom). Prints a table; exit 0 iff every
# selected entry is valid and meets its targets. Per-entry console logs: store/run-logs/<id>.log.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
catalogue="${CATALOGUE:-maelstrom-tests/catalogue.tsv}"   # CATALOGUE=file overrides (tests)
launcher="$root/target/launcher"

build_if_needed() {
  # target/launcher is rewritten by every `mvn package`, so it dates the last build of src/main.
  if [[ ! -x "$launcher" || ! -f target/glomers.jar ]] \
     || [[ -n "$(find src/main pom.xml -newer "$launcher" -print -quit 2>/dev/null)" ]]; then
    echo "# building (mvn -q -B package -DskipTests)…" >&2
    mvn -q -B package -DskipTests >&2
  fi
}

java_bin() {
  local j=""
  [[ -f target/launcher.java ]] && read -r j < target/launcher.java || true
  [[ -n "$j" && -x "$j" ]] && { echo "$j"; return; }
  [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && { echo "$JAVA_HOME/bin/java"; return; }
  echo java
}

targets() { "$(java_bin)" -cp target/glomers.jar glomers.cli.Targets "$@"; }

if [[ "${1:-}" == "test" || "${1:-}" == "serve" ]]; then
  cmd="$1"
  shift
  if [[ -n "${MAELSTROM:-}" ]]; then exec "$MAELSTROM" "$cmd" "$@"; fi
  build_if_needed
  exec "$launcher" "$cmd" "$@"
fi

build_if_needed
node_workloads=" $("$launcher" --list | tr '\n' ' ') "
sim=0
if [[ "${1:-}" == "--sim" ]]; then sim=1; shift; fi

# supported ID NODE-ARGS FLAGS → prints a reason and fails when this build cannot run the entry
supported() {
  local node_wl="${2%% *}" w
  if [[ "$node_wl" == "" || "$node_workloads" != *" $node_wl "* ]]; then echo "node workload '$node_wl' not in this build"; return 1; fi
  w="$(sed -E 's/.*(-w|--workload) +([^ ]+).*/\2/' <<<"$3")"
  if [[ -z "${MAELSTROM:-}" ]] && ! targets workload-supported "$w"; then echo "harness workload '$w' not in this build"; return 1; fi
  return 0
}

declare -a ids=() args=() flags=() tgts=()
while IFS=$'\t' read -r id nargs mflags tg || [[ -n "${id:-}" ]]; do
  [[ -z "${id// }" || "$id" == \#* ]] && continue
  ids+=("$id"); args+=("$nargs"); flags+=("$mflags"); tgts+=("${tg:-}")
done < "$catalogue"

w=9   # id column width
for id in "${ids[@]}"; do (( ${#id} > w )) && w=${#id}; done

if [[ "${1:-}" == "--list" ]]; then
  for i in "${!ids[@]}"; do
    if why="$(supported "${ids[$i]}" "${args[$i]}" "${flags[$i]}")"; then s=runnable; else s="skipped: $why"; fi
    printf "%-${w}s %-60s %s\n" "${ids[$i]}" "${flags[$i]}" "$s"
  done
  exit 0
fi

declare -a selected=()
explicit=0
if [[ $# -gt 0 ]]; then
  explicit=1
  for want in "$@"; do
    found=""
    for i in "${!ids[@]}"; do [[ "${ids[$i]}" == "$want" ]] && found=$i; done
    [[ -n "$found" ]] || { echo "run.sh: no catalogue entry '$want' (see ./run.sh --list)" >&2; exit 2; }
    selected+=("$found")
  done
else
  selected=("${!ids[@]}")
fi

mkdir -p store/run-logs
declare -a table=()
failed=0
for i in "${selected[@]}"; do
  id="${ids[$i]}"
  if ! why="$(supported "$id" "${args[$i]}" "${flags[$i]}")"; then
    if [[ $explicit == 1 ]]; then table+=("$(printf "%-${w}s %-8s %s" "$id" FAIL "cannot run: $why")"); failed=1
    else table+=("$(printf "%-${w}s %-8s %s" "$id" SKIP "$why")"); fi
    continue
  fi
  # shellcheck disable=SC2206
  f=(${flags[$i]}) a=(${args[$i]})
  log="store/run-logs/$id.log"
  before="$(readlink -f store/latest 2>/dev/null || true)"
  if [[ $sim == 1 && "${SEEDS:-1}" != 1 ]]; then
    rm -f store/latest-seeds.json
    cmd=("$launcher" sim "${f[@]}" --seeds "$SEEDS" "${a[@]}"); results=latest-seeds.json
  elif [[ $sim == 1 ]]; then cmd=("$launcher" sim "${f[@]}" "${a[@]}"); results=results.json
  elif [[ -n "${MAELSTROM:-}" ]]; then cmd=("$MAELSTROM" test "${f[@]}" --bin "$launcher" "${a[@]}"); results=results.edn
  else cmd=("$launcher" test "${f[@]}" --bin "$launcher" "${a[@]}"); results=results.json; fi
  echo "=== $id: ${cmd[*]}" >&2
  start=$SECONDS
  set +e
  "${cmd[@]}" >"$log" 2>&1
  rc=$?
  set -e
  secs=$((SECONDS - start))
  after="$(readlink -f store/latest 2>/dev/null || true)"
  [[ $results == latest-seeds.json ]] && after="$root/store"
  if [[ -z "$after" || "$after" == "$before" || ! -f "$after/$results" ]]; then
    table+=("$(printf "%-${w}s %-8s %s" "$id" CRASH "exit $rc after ${secs}s, no $results (see $log)")"); failed=1
    echo "    CRASH (exit $rc) — last lines of $log:" >&2; tail -5 "$log" | sed 's/^/    /' >&2
    continue
  fi
  set +e
  # shellcheck disable=SC2086
  summary="$(targets check "$after/$results" ${tgts[$i]})"
  ok=$?
  set -e
  verdict=PASS; [[ $ok == 0 ]] || { verdict=FAIL; failed=1; }
  table+=("$(printf "%-${w}s %-8s %s  [exit %s, %ss]" "$id" "$verdict" "$summary" "$rc" "$secs")")
  echo "    $verdict  $summary" >&2
  echo "    results: $after/$results$( [[ -f "$after/report.html" ]] && echo "   report: $after/report.html")" >&2
done

echo
printf "%-${w}s %-8s %s\n" challenge verdict "figures (targets)"
printf '%s\n' "${table[@]}"
exit $failed
