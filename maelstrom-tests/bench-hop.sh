#!/usr/bin/env bash
# Per-hop cost and service round trip of the embedded harness (docs/maelstrom.md#per-hop-cost): alternately
# runs our echo node and glomers.bench.EchoViaLinKv (one lin-kv read before each reply) through the harness
# with the flags of issue-16's echo figure, and prints per run the client round-trip p50/p90/p99 (ms, ok ops);
# then medians: the echo round trip is 2 hops (client → node → client), a hop ≈ half of it, and the
# EchoViaLinKv round trip minus the echo one is a service round trip (node → lin-kv → node).
#
#   maelstrom-tests/bench-hop.sh [runs=3]
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${1:-3}"
[[ -x target/launcher && -d target/lib ]] || mvn -q -B package -DskipTests
mvn -q -B -Dstyle.color=never test-compile
store="store/bench-hop/$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$store"
svc="$store/echo-via-lin-kv.sh"
printf '#!/bin/sh\nexec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "%s" glomers.bench.EchoViaLinKv "$@"\n' \
  "$root/target/test-classes:$root/target/classes:$root/target/lib/*" > "$svc"
chmod +x "$svc"
flags=(-w echo --node-count 1 --time-limit 10 --rate 100)
machine_line
echo "# target/launcher test ${flags[*]}   (x$runs each, alternating)"
for ((r = 1; r <= runs; r++)); do
  target/launcher test "${flags[@]}" --bin "$root/target/launcher" --store "$store/echo$r" echo > "$store/echo$r.log" 2>&1 || true
  target/launcher test "${flags[@]}" --bin "$root/$svc" --store "$store/svc$r" > "$store/svc$r.log" 2>&1 || true
done
python3 - "$store" "$runs" <<'PY'
import json, statistics, sys, glob
store, runs = sys.argv[1], int(sys.argv[2])
def latencies(d):
    opened, out = {}, []
    for line in open(glob.glob(f"{d}/echo/*/history.jsonl")[0]):
        op = json.loads(line)
        if not isinstance(op.get("process"), int):
            continue
        if op["type"] == "invoke":
            opened[op["process"]] = op["time"]
        elif op["process"] in opened:
            t = opened.pop(op["process"])
            if op["type"] == "ok":
                out.append((op["time"] - t) / 1e6)
    out.sort()
    return [out[min(len(out) - 1, int(p * len(out)))] for p in (0.5, 0.9, 0.99)]
rows = {"echo": [], "svc": []}
for kind in rows:
    for r in range(1, runs + 1):
        q = latencies(f"{store}/{kind}{r}")
        rows[kind].append(q)
        name = "echo" if kind == "echo" else "echo + lin-kv read"
        print(f"{name:<20} run {r}: round trip p50/p90/p99 {q[0]:.2f}/{q[1]:.2f}/{q[2]:.2f} ms")
med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in rows.items()}
e, s = med["echo"], med["svc"]
print(f"median echo round trip p50/p90/p99      {e[0]:.2f}/{e[1]:.2f}/{e[2]:.2f} ms  (2 hops: per hop ≈ {e[0] / 2:.2f} ms at p50)")
print(f"median echo + lin-kv round trip          {s[0]:.2f}/{s[1]:.2f}/{s[2]:.2f} ms")
print(f"service round trip (difference, p50)     {s[0] - e[0]:.2f} ms")
PY
