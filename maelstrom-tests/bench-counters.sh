#!/usr/bin/env bash
# Counter / g-set benchmark: runs catalogue entries with seeds 1..RUNS on the embedded harness and reports,
# per entry, the validity count and the medians over runs of: servers msgs-per-op, read latency p50/p99
# (ms, ok reads of the main phase, from history.jsonl), add latency p50 and, for g-set, set-full's
# stable-latency median and max.
#
#   maelstrom-tests/bench-counters.sh [runs=5] [ids… (default: 4 pn-counter pn-counter-5 g-set g-set-5)]
#
# Runs one test at a time (each ≈ time-limit + 10 s quiet + start-up). Per-run lines go to stdout as
# they finish; the summary table comes last. Per-run logs: store/bench-counters/<id>-seed<N>.log.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${1:-5}"; shift || true
ids=("$@"); [[ ${#ids[@]} -gt 0 ]] || ids=(4 pn-counter pn-counter-5 g-set g-set-5)
[[ -x target/launcher && -f target/glomers.jar ]] || mvn -q -B package -DskipTests
mkdir -p store/bench-counters
out="store/bench-counters/runs-$(date -u +%Y%m%dT%H%M%S).tsv"
echo "$(machine_line); runs=$runs"
printf 'id\tseed\texit\tvalid\tservers-msgs-per-op\tread-p50-ms\tread-p99-ms\tadd-p50-ms\tstable-p50-ms\tstable-max-ms\n' | tee "$out"
for id in "${ids[@]}"; do
  line="$(catalogue_row "$id")"
  nargs="$(cut -f2 <<<"$line")"; flags="$(cut -f3 <<<"$line")"
  for seed in $(seq 1 "$runs"); do
    rc=0
    # shellcheck disable=SC2086
    target/launcher test $flags --bin target/launcher --seed "$seed" $nargs \
      > "store/bench-counters/$id-seed$seed.log" 2>&1 || rc=$?
    dir="$(readlink -f store/latest)"
    python3 - "$id" "$seed" "$rc" "$dir" <<'PY' | tee -a "$out"
import json, sys
ident, seed, rc, d = sys.argv[1:5]
res = json.load(open(f"{d}/results.json"))
inv, lat = {}, {"read": [], "add": []}
for line in open(f"{d}/history.jsonl"):
    op = json.loads(line)
    p = op["process"]
    if p == "nemesis": continue
    if op["type"] == "invoke": inv[p] = op
    elif op["type"] == "ok" and p in inv and op["f"] in lat and not op.get("final?") and inv[p]["f"] == op["f"]:
        lat[op["f"]].append((op["time"] - inv.pop(p)["time"]) / 1e6)
st = res["workload"].get("stable-latencies") or {}
def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")
print("\t".join([ident, seed, rc, str(res.get("valid?")), "%.3f" % res["net"]["servers"]["msgs-per-op"],
                 "%.1f" % q(lat["read"], .5), "%.1f" % q(lat["read"], .99), "%.1f" % q(lat["add"], .5),
                 str(st.get("0.5", "nan")), str(st.get("1", "nan"))]))
PY
  done
done
echo
echo "# medians over runs (valid = number of valid runs)"
python3 - "$out" <<'PY'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
by = {}
for r in rows: by.setdefault(r[0], []).append(r)
print("id\truns\tvalid\tservers-msgs-per-op\tread-p50-ms\tread-p99-ms\tadd-p50-ms\tstable-p50-ms\tstable-max-ms")
for ident, rs in by.items():
    med = lambda i: "%.2f" % statistics.median(float(r[i]) for r in rs)
    print("\t".join([ident, str(len(rs)), str(sum(r[3] == "True" for r in rs)), med(4), med(5), med(6), med(7), med(8), med(9)]))
PY
