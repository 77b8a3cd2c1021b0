#!/usr/bin/env python3
"""One row of bench-faults.sh's table: the medians over several runs of one workload row under one fault mode.
Usage: faults-table.py ROW MODE DIR...   (each DIR a run directory with results.json and history.jsonl, or a
`--seeds` group directory, whose numbered run directories are taken)
Prints a markdown table row:
  | row | mode | runs | failing | ok-fraction | lat p50 | lat p99 | lat max | msgs/op | faults |
Latencies are medians over the runs, in ms: broadcast's stable latencies when results.json has them, else the
latency of every ok client operation, from its invoke to its ok, taken from history.jsonl. `faults` sums the
fault windows of all runs (results.json `faults`). Then one line per failing run: `# failing: <its replay command from seeds.json, else DIR>`."""
import json, os, statistics, sys


def run_dirs(paths):
    for p in paths:
        if os.path.exists(os.path.join(p, 'results.json')):
            yield p
        else:
            for d in sorted((d for d in os.listdir(p) if d.isdigit()), key=int):
                yield os.path.join(p, d)


def quantile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def op_latencies(history):
    """Invoke-to-ok latency (ms) of every client operation; a process has one operation outstanding."""
    pending, out = {}, []
    with open(history) as f:
        for line in f:
            o = json.loads(line)
            p = o.get('process')
            if not isinstance(p, int):
                continue
            if o['type'] == 'invoke':
                pending[p] = o['time']
            elif p in pending:
                t = pending.pop(p)
                if o['type'] == 'ok':
                    out.append((o['time'] - t) / 1e6)
    return sorted(out)


def figures(d):
    r = json.load(open(os.path.join(d, 'results.json')))
    stable = (r.get('workload') or {}).get('stable-latencies')
    if stable:
        lat = [stable.get(k) for k in ('0.5', '0.99', '1')]
    else:
        ls = op_latencies(os.path.join(d, 'history.jsonl'))
        lat = [quantile(ls, 0.5), quantile(ls, 0.99), ls[-1] if ls else None]
    return {
        'valid': r.get('valid?') is True,
        'avail': (r.get('availability') or {}).get('ok-fraction'),
        'msgs': ((r.get('net') or {}).get('servers') or {}).get('msgs-per-op'),
        'lat': lat,
        'faults': r.get('faults') or {},
    }


def med(values, digits):
    values = [v for v in values if v is not None]
    return '–' if not values else f'{statistics.median(values):.{digits}f}'


def main():
    row, mode, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    dirs = list(run_dirs(paths))
    runs = [figures(d) for d in dirs]
    failing = [d for d, f in zip(dirs, runs) if not f['valid']]
    faults = {}
    for f in runs:
        for k, v in f['faults'].items():
            if k != 'duplicated-messages' and v:
                faults[k] = faults.get(k, 0) + v
    cells = [row, mode, str(len(runs)), str(len(failing)),
             med([f['avail'] for f in runs], 4),
             *(med([f['lat'][i] for f in runs], 1) for i in range(3)),
             med([f['msgs'] for f in runs], 3),
             ' '.join(f'{k} {v}' for k, v in sorted(faults.items())) or '–']
    print('| ' + ' | '.join(cells) + ' |')
    for d in failing:
        print(f'# failing: {replay(d) or d}')


def replay(d):
    """The replay command seeds.json beside a seed's run directory records for it, if any."""
    seeds = os.path.join(os.path.dirname(d), 'seeds.json')
    if not os.path.exists(seeds) or not os.path.basename(d).isdigit():
        return None
    for s in json.load(open(seeds)).get('seeds', []):
        if s.get('seed') == int(os.path.basename(d)):
            return s.get('replay')
    return None


if __name__ == '__main__':
    main()
