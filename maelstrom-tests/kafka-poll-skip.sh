#!/usr/bin/env bash
# How often the harness catches the poll-skip race of the public lin-kv kafka design
# (glomers.mutants.kafka.LinKvOffsetsNode; docs/kafka.md#a-public-design-and-its-poll-skip-race): runs it
# several times (fresh seed each) and prints per run the verdict, the poll-skip count, ops and ops/s, and the
# send latency p50/p99, then how many runs were invalid. One run at a time (2-core machine).
#
#   maelstrom-tests/kafka-poll-skip.sh [runs=4] [maelstrom flags…]      default flags: challenge 5b/5c
#   maelstrom-tests/kafka-poll-skip.sh 4 -w kafka --node-count 2 --concurrency 2n --rate 1000 --time-limit 20 --latency 1
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${1:-4}"; shift || true
flags=("$@")
[[ ${#flags[@]} -gt 0 ]] || flags=(-w kafka --node-count 2 --concurrency 2n --rate 1000 --time-limit 20)
[[ -x target/launcher && -d target/lib ]] || mvn -q -B package -DskipTests
mvn -q -B -Dstyle.color=never test-compile
store="store/kafka-poll-skip/$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$store"
bin="$store/node.sh"
printf '#!/bin/sh\nexec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "%s" glomers.mutants.kafka.LinKvOffsetsNode "$@"\n' \
  "$root/target/test-classes:$root/target/classes:$root/target/lib/*" > "$bin"
chmod +x "$bin"
machine_line
echo "# target/launcher test ${flags[*]} --bin LinKvOffsetsNode   (x$runs)"
limit=20
for ((i = 0; i < ${#flags[@]}; i++)); do [[ "${flags[$i]}" != --time-limit ]] || limit="${flags[$((i + 1))]}"; done
dirs=()
for ((r = 1; r <= runs; r++)); do
  target/launcher test "${flags[@]}" --bin "$root/$bin" --store "$store/run$r" > "$store/run$r.log" 2>&1 || true
  dirs+=("$(ls -d "$store/run$r"/kafka/*/ | tail -1)")
done
python3 - "$limit" "${dirs[@]}" <<'PY'
import json, sys
hits = 0
print("run  valid?  poll-skip  ops    main-phase ops/s  send-p50/p99 ms")
limit = float(sys.argv[1]) * 1e9
for i, d in enumerate(sys.argv[2:], 1):
    r = json.load(open(d + "results.json"))
    w = r["workload"]
    skips = w.get("poll-skip", {}).get("count", 0)
    hits += w["valid?"] is not True
    ops = r["stats"]["count"]
    sends, opened, t = [], {}, []  # t: invocation times of the main phase
    for line in open(d + "history.jsonl"):
        op = json.loads(line)
        if op.get("process") in (None, "nemesis") or isinstance(op.get("process"), str):
            continue
        if op["type"] == "invoke" and op["time"] <= limit:
            t.append(op["time"])
        if op["type"] == "invoke":
            opened[op["process"]] = op
        elif op["process"] in opened:
            inv = opened.pop(op["process"])
            if op["f"] == "send" and op["type"] == "ok":
                sends.append((op["time"] - inv["time"]) / 1e6)
    sends.sort()
    q = lambda p: sends[min(len(sends) - 1, int(p * len(sends)))] if sends else float("nan")
    rate = len(t) / ((max(t) - min(t)) / 1e9) if len(t) > 1 else 0
    print(f"{i:<4} {str(w['valid?']):<7} {skips:<10} {ops:<6} {rate:<16.0f} {q(0.5):.1f}/{q(0.99):.1f}")
print(f"invalid {hits}/{len(sys.argv) - 2}")
PY
