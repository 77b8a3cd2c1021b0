#!/usr/bin/env python3
"""Copies a run's history.jsonl, keeping only the transactions invoked and completed outside every
partition window (nemesis start-partition that cuts a link .. stop-partition), so that the txn checker, re-run
with the run's own models (read-committed for list-append-rc: ww, wr and rw edges, no realtime edges, as Maelstrom
0.2.3's Elle), reports largest-sccs for the partition-free parts of a run. Prints the number of ok transactions that both read
and append among those invoked in the busiest window (0 without one): with total availability, a partition glues
about all of them into one SCC (docs/txn.md#sccs-of-list-append-rc), so it is what to compare the overall
largest SCC with.

    txn-outside-partitions.py STORE_DIR OUT_DIR
"""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
ops = [json.loads(l) for l in open(os.path.join(src, "history.jsonl"))]
windows, start = [], None
for o in ops:
    if o.get("process") == "nemesis":
        # The completion of start-partition names the grudge; one that cuts no link is no partition.
        cuts = isinstance(o.get("value"), list) and any(o["value"][1].values())
        if o["f"] == "start-partition" and start is None and cuts:
            start = o["time"]
        elif o["f"] == "stop-partition" and start is not None:
            windows.append((start, o["time"]))
            start = None
if start is not None:
    windows.append((start, float("inf")))


def inside(t):
    return any(a <= t <= b for a, b in windows)


open_inv, keep, read_append = {}, set(), [0] * len(windows)
for i, o in enumerate(ops):
    if o.get("process") == "nemesis":
        continue
    if o["type"] == "invoke":
        open_inv[o["process"]] = i
    else:
        j = open_inv.pop(o["process"], None)
        if j is None:
            continue
        if not inside(ops[j]["time"]) and not inside(o["time"]):
            keep.update((i, j))
        elif o["type"] == "ok" and {m[0] for m in o["value"]} == {"r", "append"}:
            w = next(w for w, (a, b) in enumerate(windows) if a <= ops[j]["time"] <= b or a <= o["time"] <= b)
            read_append[w] += 1
print(max(read_append, default=0))
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "history.jsonl"), "w") as f:
    for i in sorted(keep):
        f.write(json.dumps(ops[i]) + "\n")
