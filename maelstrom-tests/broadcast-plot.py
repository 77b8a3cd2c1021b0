#!/usr/bin/env python3
"""Summarises bench-broadcast.sh runs: medians per point → table.md, and an SVG trade-off plot
(servers msgs-per-op against median and max stable latency) with the published 3d/3e bars and the public
solutions' points. Usage: broadcast-plot.py runs.tsv OUTDIR"""
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
out = sys.argv[2]
points = []
for p in dict.fromkeys(r["point"] for r in rows):
    rs = [r for r in rows if r["point"] == p and r["msgs_per_op"]]
    if not rs:
        continue
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    points.append(dict(point=p, n=len(rs), valid=sum(r["valid"] == "True" for r in rs),
                       mpo=med("msgs_per_op"), median=med("median_ms"), max=med("max_ms"), p95=med("p95_ms"),
                       worst_max=max(float(r["max_ms"]) for r in rs)))

PUBLIC = [(14.2, 75, 108), (23.0, 175, 209), (19.6, 323, 567), (9.3, 583, 1050), (1.70, 760, 1093), (1.99, 339, 678)]

with open(f"{out}/table.md", "w") as f:
    f.write("| node settings | runs (valid) | servers msgs/op | stable latency median (ms) | p95 (ms) | max (ms) | worst max (ms) |\n")
    f.write("|---|---|---:|---:|---:|---:|---:|\n")
    for q in points:
        f.write(f"| `{q['point']}` | {q['n']} ({q['valid']}) | {q['mpo']:.2f} | {q['median']:.0f} | {q['p95']:.0f} | {q['max']:.0f} | {q['worst_max']:.0f} |\n")
    f.write("\nMedians over runs of `-w broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100`.\n")
    f.write("\nPublic points dominated (a setting no worse on msgs/op, median and max):\n\n")
    for (m, a, b) in PUBLIC:
        dom = [q["point"] for q in points if q["mpo"] <= m and q["median"] <= a and q["max"] <= b]
        f.write(f"- {m} @ {a}/{b} ms: {', '.join('`'+d+'`' for d in dom) if dom else '**not dominated**'}\n")
print(open(f"{out}/table.md").read())

# --- SVG: x = msgs/op (log scale 0.5..30), y = latency (0..1200 ms); two series (median, max).
import html, math
W, H, L, R, T, B = 760, 480, 70, 20, 30, 60
xmin, xmax, ymax = 0.5, 30.0, 1200.0
X = lambda v: L + (math.log(v) - math.log(xmin)) / (math.log(xmax) - math.log(xmin)) * (W - L - R)
Y = lambda v: H - B - min(v, ymax) / ymax * (H - T - B)
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
     f'<rect width="{W}" height="{H}" fill="white"/>',
     f'<text x="{W/2}" y="18" text-anchor="middle" font-size="13">Broadcast 3d/3e: servers msgs/op vs stable latency (25 nodes, 100 ms hops)</text>']
for v in [0.5, 1, 2, 3, 5, 10, 20, 30]:
    s.append(f'<line x1="{X(v):.1f}" y1="{T}" x2="{X(v):.1f}" y2="{H-B}" stroke="#eee"/><text x="{X(v):.1f}" y="{H-B+15}" text-anchor="middle">{v}</text>')
for v in range(0, 1201, 200):
    s.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W-R}" y2="{Y(v):.1f}" stroke="#eee"/><text x="{L-5}" y="{Y(v)+4:.1f}" text-anchor="end">{v}</text>')
s.append(f'<text x="{W/2}" y="{H-20}" text-anchor="middle">servers msgs-per-op (log scale)</text>')
s.append(f'<text x="18" y="{H/2}" transform="rotate(-90 18 {H/2})" text-anchor="middle">stable latency (ms)</text>')
# published bars: 3d (<30 msgs, median <400, max <600), 3e (<20, <1000, <2000 off-scale)
def bar(x0, y, label, color):
    s.append(f'<line x1="{L}" y1="{Y(y):.1f}" x2="{X(x0):.1f}" y2="{Y(y):.1f}" stroke="{color}" stroke-dasharray="6 3"/>'
             f'<text x="{L+4}" y="{Y(y)-3:.1f}" fill="{color}">{html.escape(label)}</text>')
bar(30, 400, "3d median < 400", "#c60"); bar(30, 600, "3d max < 600", "#c00"); bar(20, 1000, "3e median < 1000", "#690")
s.append(f'<line x1="{X(20):.1f}" y1="{T}" x2="{X(20):.1f}" y2="{H-B}" stroke="#690" stroke-dasharray="6 3"/><text x="{X(20)-3:.1f}" y="{T+12}" text-anchor="end" fill="#690">3e &lt; 20 msgs/op</text>')
for (m, a, b) in PUBLIC:
    s.append(f'<circle cx="{X(m):.1f}" cy="{Y(a):.1f}" r="4" fill="none" stroke="#888"/><rect x="{X(m)-4:.1f}" y="{Y(b)-4:.1f}" width="8" height="8" fill="none" stroke="#888"/>')
for key, color in (("median", "#06c"), ("max", "#c0c")):
    pts = sorted(points, key=lambda q: q["mpo"])
    s.append('<polyline fill="none" stroke="%s" points="%s"/>' % (color, " ".join(f"{X(q['mpo']):.1f},{Y(q[key]):.1f}" for q in pts)))
    for q in pts:
        shape = f'<circle cx="{X(q["mpo"]):.1f}" cy="{Y(q[key]):.1f}" r="4" fill="{color}"/>' if key == "median" else \
                f'<rect x="{X(q["mpo"])-4:.1f}" y="{Y(q[key])-4:.1f}" width="8" height="8" fill="{color}"/>'
        s.append(shape)
        if key == "median":
            s.append(f'<text x="{X(q["mpo"])+6:.1f}" y="{Y(q[key])+14:.1f}" fill="#333">{html.escape(q["point"])}</text>')
s.append(f'<text x="{W-R-5}" y="{T+14}" text-anchor="end"><tspan fill="#06c">● ours: median</tspan>  <tspan fill="#c0c">■ ours: max</tspan>  <tspan fill="#888">○/□ public solutions (median/max)</tspan></text>')
s.append("</svg>")
open(f"{out}/tradeoff.svg", "w").write("\n".join(s))
