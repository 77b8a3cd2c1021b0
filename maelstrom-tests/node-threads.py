#!/usr/bin/env python3
"""CPU time per thread of every running node JVM (java processes whose command line has no `test`/`sim`),
summed by thread name: the JIT compiler threads, the event loop, `main` (JVM start-up, warm-up, stdin
reader), the stdout writer, the rest. Usage: node-threads.py  — prints `name total-ms per-node-ms` lines
and a `nodes N` line; run it while a harness run is going (maelstrom-tests/bench-harness.sh N cpu)."""
import collections
import os

hz = os.sysconf('SC_CLK_TCK')
agg, nodes = collections.Counter(), 0
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        cmd = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
        if not cmd[0].endswith(b'java') or b'test' in cmd or b'sim' in cmd:
            continue
        for tid in os.listdir(f'/proc/{pid}/task'):
            name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            stat = open(f'/proc/{pid}/task/{tid}/stat').read().rsplit(')', 1)[1].split()
            name = {'java': 'main', 'C1 CompilerThre': 'C1 compiler', 'C2 CompilerThre': 'C2 compiler'}.get(name, name)
            if name not in ('main', 'event-loop', 'stdout-writer', 'C1 compiler', 'C2 compiler', 'VM Thread'):
                name = 'other'
            agg[name] += (int(stat[11]) + int(stat[12])) * 1000 / hz
        nodes += 1
    except (OSError, IndexError):
        pass  # a process or thread that ended meanwhile
print('nodes', nodes)
for name, ms in agg.most_common():
    print(f'{name}\t{ms:.0f}\t{ms / max(nodes, 1):.1f}')
