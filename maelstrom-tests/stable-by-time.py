#!/usr/bin/env python3
"""Stable latency of each broadcast value (as the report's stable-by-time chart: from the value being known,
i.e. its broadcast ok or the first read that held it, to just after the invoke of the last read that missed it),
split into values known in the first N seconds and the rest. Usage: stable-by-time.py history.jsonl [N=3]
Prints: early-max late-max early-count late-count (ms)."""
import json, sys
path, cut = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
ops = [json.loads(l) for l in open(path)]
pending, reads, known = {}, [], {}
for o in ops:
    p = o.get('process')
    if not isinstance(p, int):
        continue
    if o['type'] == 'invoke':
        pending[p] = o
    elif o['type'] == 'ok' and p in pending:
        inv = pending.pop(p)
        if o['f'] == 'broadcast':
            v = inv['value']
            known[v] = min(known.get(v, o['time']), o['time'])
        elif o['f'] == 'read':
            reads.append((inv['time'], o['time'], set(o['value'] or [])))
    elif o['type'] in ('fail', 'info'):
        pending.pop(p, None)
for inv_t, ok_t, vals in reads:  # the first read that holds a value also makes it known
    for v in vals:
        if v in known and ok_t < known[v]:
            known[v] = ok_t
last_absent = {}
for inv_t, ok_t, vals in reads:
    for v in known:
        if v not in vals and inv_t > last_absent.get(v, -1):
            last_absent[v] = inv_t
early, late = [], []
for v, k in known.items():
    lat = max(0, last_absent.get(v, 0) + 1 - k) / 1e6 if v in last_absent else 0.0
    (early if k / 1e9 < cut else late).append(lat)
print(round(max(early, default=0)), round(max(late, default=0)), len(early), len(late))
