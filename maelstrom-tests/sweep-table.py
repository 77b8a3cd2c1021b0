#!/usr/bin/env python3
"""One row of sweep-faults.sh's table: the verdicts of many seeds of one row on one backend.
Usage: [WALL=SECONDS] sweep-table.py ROW BACKEND REPLAY DIR...
  WALL    the seconds the seeds took, shown as given (– without it)
  REPLAY  the replay command with {seed} where the seed goes
  DIR     a run directory named by its seed (process runs), or a `sim --seeds` group directory
Prints one markdown table row
  | row | backend | seeds | valid | invalid | unknown | crash | all down | ops p50 (min) | wall s | failing seeds |
then one line `# replay: <command>` per failing seed.

`all down` counts, among the invalid seeds, those whose only invalid checker is Maelstrom's stats checker
(no operation of some kind ever came back ok) while every node was killed or paused through every client
operation. At one node (echo's graded flags) the kill and pause nemeses can keep the only node down from the
first operation to the last; no node can answer then, so the verdict says nothing about the node (docs/faults.md#echo-at-one-node).
Such seeds still count as invalid; the column only says which of them are that case. `ops` is the median
(and the minimum) over the seeds of the operations the run completed (results.json `stats.count`): faults that
stall clients show there even when every seed is valid."""
import json, os, statistics, sys


def seed_dirs(paths):
    """(seed, run dir or None) of every seed; a group's seeds.json also names seeds without a directory."""
    for p in paths:
        seeds = os.path.join(p, 'seeds.json')
        if os.path.exists(seeds):
            for s in json.load(open(seeds)).get('seeds', []):
                d = os.path.join(p, str(s['seed']))
                yield s['seed'], d if os.path.isdir(d) else None, s.get('valid?')
        else:
            yield int(os.path.basename(p.rstrip('/'))), p, None


def verdict(d, fallback):
    """valid, invalid, unknown or crash (no results.json: the run did not finish)."""
    r = results(d)
    v = r.get('valid?') if r is not None else fallback
    if v is True:
        return 'valid'
    if v is False:
        return 'invalid'
    if v == 'unknown':
        return 'unknown'
    return 'crash'


def results(d):
    f = d and os.path.join(d, 'results.json')
    return json.load(open(f)) if f and os.path.exists(f) else None


def all_down(d):
    """Only the stats checker failed, and every client operation ran while every node was killed or paused."""
    r = results(d)
    if r is None:
        return False
    failed = [k for k, v in r.items() if isinstance(v, dict) and v.get('valid?') is False]
    if failed != ['stats']:
        return False
    nodes = set(json.load(open(os.path.join(d, 'test.json')))['nodes'])
    down, pending = set(), {}
    with open(os.path.join(d, 'history.jsonl')) as f:
        for line in f:
            o = json.loads(line)
            v = o.get('value')
            if o.get('process') == 'nemesis' and isinstance(v, list):
                # down from the start op's invocation (the nodes it names), up again once restarted or resumed
                if o['f'] in ('start-kill', 'start-pause') and all(isinstance(n, str) for n in v):
                    down |= set(v)
                elif len(v) == 2 and v[0] in ('restarted', 'resumed'):
                    down -= set(v[1])
            elif isinstance(o.get('process'), int):
                if o['type'] == 'invoke':
                    pending[o['process']] = down == nodes
                elif not (pending.pop(o['process'], False) and down == nodes):
                    return False
    return True


def main():
    row, backend, replay, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    wall = os.environ.get('WALL', '–')
    counts = {'valid': 0, 'invalid': 0, 'unknown': 0, 'crash': 0}
    failing, down, ops = [], 0, []
    for seed, d, fallback in seed_dirs(paths):
        v = verdict(d, fallback)
        r = results(d)
        if r is not None and 'count' in (r.get('stats') or {}):
            ops.append(r['stats']['count'])
        counts[v] += 1
        if v != 'valid':
            failing.append(seed)
            if v == 'invalid' and all_down(d):
                down += 1
    failing.sort()
    shown = ' '.join(map(str, failing[:20])) + (f' … ({len(failing)})' if len(failing) > 20 else '')
    cells = [row, backend, str(sum(counts.values())), *(str(counts[k]) for k in counts), str(down), f'{statistics.median(ops):.0f} ({min(ops)})' if ops else '–', wall, shown or '–']
    print('| ' + ' | '.join(cells) + ' |')
    for seed in failing:
        print('# replay: ' + replay.replace('{seed}', str(seed)))


if __name__ == '__main__':
    main()
