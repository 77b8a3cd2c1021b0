package glomers.harness.report;

import static glomers.harness.report.Html.esc;
import static glomers.harness.report.Report.fmt;

import glomers.harness.check.Validity;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lays the page out. Everything inline: the page must open from a mail attachment or a CI artifact. */
final class HtmlReport {
  private HtmlReport() {}

  static String render(Report.Model m, Map<String, String> charts, Map<String, String> chartFailures, long millisSoFar) {
    RunData run = m.run;
    Html h = new Html();
    String verdict = switch (m.validity) {
      case TRUE -> "valid";
      case FALSE -> "invalid";
      case UNKNOWN -> "unknown";
    };
    String wl = run.workload() == null ? "run" : run.workload();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>").text(wl + " — " + verdict.toUpperCase()).raw("</title>")
        // errors in the page's own script are shown, not swallowed (and the browser test reads them)
        .raw("<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));"
            + "var p=document.getElementById('js-errors');if(p){p.style.display='block';p.textContent+=e.message+'\\n';}});</script>")
        .raw("<style>").raw(Report.resource("report.css")).raw("</style></head>\n<body data-js-ok=\"false\"><main>\n");
    h.raw("<pre id=\"js-errors\" class=\"warn\" style=\"display:none\"></pre>");

    // ---- header
    Object crash = run.info().get("crash");
    String badge = run.results().isEmpty() ? (crash != null ? "CRASHED" : "NO RESULTS") : verdict.toUpperCase();
    h.raw("<h1><span>").text(wl).raw("</span><span id=\"verdict\" class=\"verdict ").raw(run.results().isEmpty() ? "invalid" : verdict)
        .raw("\">").text(badge).raw("</span></h1>\n");
    h.raw("<div class=\"sub\">");
    for (Map.Entry<String, Object> e : run.info().entrySet()) {
      if (List.of("warnings", "crash", "diagnostics").contains(e.getKey())) continue;
      h.text(e.getKey()).raw(": <code>").text(e.getValue() instanceof String s ? s : Json.write(e.getValue())).raw("</code> &nbsp; ");
    }
    h.raw("</div>\n");
    if (crash != null) {
      h.raw("<div class=\"warn\"><b>The test crashed (exit 255), as Maelstrom would:</b><pre>").text(crash).raw("</pre></div>");
    }
    if (run.info().get("diagnostics") instanceof List<?> ds && !ds.isEmpty()) {
      h.raw("<div class=\"warn\"><b>Harness diagnostics</b> (they do not change the verdict):<ul>");
      for (Object d : ds) h.raw("<li><code>").text(d).raw("</code></li>");
      h.raw("</ul></div>");
    }
    if (run.info().get("warnings") instanceof List<?> ws && !ws.isEmpty()) {
      h.raw("<div class=\"warn\"><b>Incomplete run data:</b><ul>");
      for (Object w : ws) h.raw("<li>").text(w).raw("</li>");
      h.raw("</ul></div>");
    }
    cards(h, m);
    checkerTable(h, run.results());

    // ---- workload
    h.raw("<h2>Workload checker</h2>\n");
    workloadSummary(h, m);

    // ---- charts
    h.raw("<h2>Latency and throughput</h2>\n");
    chartBlock(h, charts, chartFailures, "latency", "latency.svg");
    chartBlock(h, charts, chartFailures, "rate", "rate.svg");
    if (charts.containsKey("stable-latency") || chartFailures.containsKey("stable-latency")) {
      h.raw("<h3>Stable latency (time until an element is visible on every node)</h3>");
      h.raw("<p class=\"note\">Recomputed per element from the history with the set-full rules; dotted lines are the quantiles of results.json.</p>");
      h.raw("<div style=\"max-width:900px\">");
      chartBlock(h, charts, chartFailures, "stable-latency", "stable-latency.svg");
      h.raw("</div>");
      chartBlock(h, charts, chartFailures, "stable-by-time", "stable-by-time.svg");
    }
    h.raw("<h2>Network</h2>\n");
    if (run.messages().isEmpty()) {
      h.raw("<p class=\"note\">No network journal for this run.</p>");
    } else {
      chartBlock(h, charts, chartFailures, "messages", "message-rate.svg");
      chartBlock(h, charts, chartFailures, "node-messages", "node-messages.svg");
      pairMatrix(h, m);
    }
    partitions(h, m);

    // ---- interactive window
    h.raw("<h2 id=\"window-section\">Operations and messages, one window at a time</h2>\n");
    h.raw("<div class=\"controls\"><button id=\"win-prev\">◀</button><input type=\"range\" id=\"win-start\" value=\"0\">")
        .raw("<button id=\"win-next\">▶</button> window <select id=\"win-width\">");
    for (long w : new long[] {100, 250, 500, 1000, 2000, 5000, 10000, 30000}) {
      h.raw("<option value=\"" + w + "\">" + (w < 1000 ? w + " ms" : w / 1000 + " s") + "</option>");
    }
    h.raw("</select> <span id=\"win-label\"></span></div>\n");
    h.raw("<h3>Operations by worker</h3><p class=\"note\">One bar per operation from invocation to completion; blue ok, pink fail, "
        + "orange info, grey pending; red outline: named by the checker; " + bands(m) + ". Hover for details.</p>");
    h.raw("<div id=\"timeline\"></div>\n");
    h.raw("<h3>Message flow</h3><p class=\"note\">Lanes are endpoints (all clients share one lane), time runs down; each arrow is a "
        + "message from send to delivery. <label><input type=\"checkbox\" id=\"hide-clients\"> hide client traffic</label> "
        + "<span id=\"lamport-info\"></span></p><div class=\"legend\" id=\"lamport-legend\"></div>");
    h.raw("<div id=\"lamport\"></div>\n");

    anomalyTable(h, m);
    sccNote(h, m);
    exceptions(h, run.results());

    h.raw("<footer>Generated by glomers.harness.report at ").text(Report.now()).raw(" in ")
        .text(millisSoFar).raw(" ms (charts; page assembly excluded). History: ").text(run.history().size())
        .raw(" entries; journal: ").text(run.messages().size()).raw(" messages.</footer>\n");
    h.raw("</main>\n<script type=\"application/json\" id=\"report-data\">").raw(Report.scriptData(m)).raw("</script>\n");
    h.raw("<script>").raw(Report.resource("report.js")).raw("</script>\n</body></html>\n");
    return h.toString();
  }

  private static void card(Html h, String key, String value, String note, String cls) {
    h.raw("<div class=\"card ").raw(cls).raw("\"><div class=\"k\">").text(key).raw("</div><div class=\"v\">").text(value)
        .raw("</div><div class=\"n\">").text(note).raw("</div></div>");
  }

  private static Object at(Map<String, Object> m, String... path) {
    Object o = m;
    for (String p : path) {
      if (!(o instanceof Map<?, ?> mm)) return null;
      o = mm.get(p);
    }
    return o;
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void cards(Html h, Report.Model m) {
    RunData run = m.run;
    long[] counts = new long[3];
    for (Op o : run.history().ops()) {
      if (!o.isClient() || o.isInvoke()) continue;
      counts[o.type() == OpType.OK ? 0 : o.type() == OpType.FAIL ? 1 : 2]++;
    }
    long total = counts[0] + counts[1] + counts[2];
    h.raw("<div class=\"cards\">");
    card(h, "operations", String.valueOf(total), counts[0] + " ok · " + counts[1] + " fail · " + counts[2] + " info", "");
    double avail = num(at(run.results(), "availability", "ok-fraction"));
    Object availValid = at(run.results(), "availability", "valid?");
    card(h, "availability", Double.isNaN(avail) ? "–" : fmt(avail * 100, 2) + "%", "ok / invocations",
        Boolean.FALSE.equals(availValid) ? "bad" : "");
    ReportData.Quantiles q = ReportData.quantiles(m.points, true);
    card(h, "latency p50", fmt(q.p50(), 1) + " ms", "ok ops, HdrHistogram", "");
    card(h, "latency p95·p99", fmt(q.p95(), 0) + " / " + fmt(q.p99(), 0) + " ms", "max " + fmt(q.max(), 0) + " ms", "");
    card(h, "msgs-per-op", fmt(num(at(run.results(), "net", "servers", "msgs-per-op")), 2),
        "servers; all: " + fmt(num(at(run.results(), "net", "all", "msgs-per-op")), 2), "");
    long undelivered = run.messages().stream().filter(x -> !x.delivered()).count();
    card(h, "messages", String.valueOf(run.messages().size()), undelivered + " never delivered", "");
    card(h, "duration", fmt(m.endSec, 1) + " s", run.nodeIds().size() + " nodes · " + m.concurrency + " workers", "");
    for (String kind : kinds(m)) {
      long n = m.periods.stream().filter(p -> p.kind().equals(kind)).count();
      card(h, kind.equals("partition") ? "partitions" : kind, String.valueOf(n),
          ReportData.FAULT_COLOURS.get(kind) + " bands on the charts", "");
    }
    Map<String, Object> w = m.workload;
    if (w.containsKey("lost-count")) {
      long lost = (long) num(w.get("lost-count"));
      card(h, "lost elements", String.valueOf(lost), "of " + fmt(num(w.get("attempt-count")), 0) + " attempted", lost > 0 ? "bad" : "good");
    }
    if (w.get("stable-latencies") instanceof Map<?, ?> sl) {
      card(h, "stable p50", fmt(num(sl.get("0.5")), 0) + " ms", "max " + fmt(num(sl.get("1")), 0) + " ms (results.json)", "");
    }
    Object types = w.containsKey("anomaly-types") ? w.get("anomaly-types") : w.get("error-types");
    if (types instanceof List<?> l) {
      card(h, "anomaly types", String.valueOf(l.size()), l.isEmpty() ? "none" : String.join(", ", l.stream().map(String::valueOf).toList()),
          l.isEmpty() ? "good" : "bad");
    }
    h.raw("</div>\n");
  }

  private static void pill(Html h, Object valid) {
    Validity v = Validity.fromJson(valid);
    String cls = v == Validity.TRUE ? "true" : v == Validity.FALSE ? "false" : "unknown";
    h.raw("<span class=\"pill ").raw(cls).raw("\">").text(v == Validity.TRUE ? "valid" : v == Validity.FALSE ? "invalid" : "unknown").raw("</span>");
  }

  private static void checkerTable(Html h, Map<String, Object> results) {
    if (results.isEmpty()) return;
    h.raw("<h3>Checkers</h3><table><tr><th>checker</th><th>verdict</th><th>summary</th></tr>");
    for (Map.Entry<String, Object> e : results.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> mm)) continue;
      h.raw("<tr><td><code>").text(e.getKey()).raw("</code></td><td>");
      pill(h, mm.get("valid?"));
      h.raw("</td><td class=\"note\">");
      List<String> parts = new ArrayList<>();
      for (Map.Entry<?, ?> x : mm.entrySet()) {
        if (x.getValue() instanceof Number || x.getValue() instanceof String) {
          Object v = x.getValue() instanceof Double d ? fmt(d, Math.abs(d) >= 100 ? 1 : 4) : x.getValue();
          if (!String.valueOf(x.getKey()).equals("valid?")) parts.add(x.getKey() + " " + v);
        }
        if (parts.size() >= 6) break;
      }
      h.text(String.join(" · ", parts));
      h.raw("</td></tr>");
    }
    h.raw("</table>\n");
  }

  private static void workloadSummary(Html h, Report.Model m) {
    Map<String, Object> w = m.workload;
    if (w.isEmpty()) {
      h.raw("<p class=\"note\">No workload results.</p>");
      return;
    }
    h.raw("<p>Verdict: ");
    pill(h, w.get("valid?"));
    h.raw("</p>");
    // named anomalies first, explained
    List<String> named = new ArrayList<>();
    Object types = w.containsKey("anomaly-types") ? w.get("anomaly-types") : w.get("error-types");
    if (types instanceof List<?> l) for (Object o : l) named.add(String.valueOf(o));
    for (String k : List.of("lost", "unseen", "errors", "failures", "duplicated")) {
      Object v = w.get(k);
      boolean nonEmpty = v instanceof List<?> l ? !l.isEmpty() : v instanceof Map<?, ?> mm && !mm.isEmpty();
      if (nonEmpty && !named.contains(k) && !Boolean.TRUE.equals(w.get("valid?"))) named.add(k);
    }
    if (!named.isEmpty()) {
      h.raw("<table><tr><th>anomaly</th><th>what it means</th><th>ops</th></tr>");
      for (String a : named) {
        h.raw("<tr><td><span class=\"anom\">").text(a).raw("</span></td><td class=\"expl\">")
            .text(Explanations.ANOMALIES.getOrDefault(a, "see the checker output below")).raw("</td><td class=\"num\">");
        List<Map<String, Object>> ops = m.anomalies.get(a);
        h.text(ops == null ? "" : ops.size());
        h.raw("</td></tr>");
      }
      h.raw("</table>");
    }
    for (String key : List.of("stable-latencies", "lost-latencies")) {
      if (!(w.get(key) instanceof Map<?, ?> sl) || sl.isEmpty()) continue;
      List<Map.Entry<?, ?>> qs = new ArrayList<>(sl.entrySet());
      qs.sort(java.util.Comparator.comparingDouble(e -> parse(e.getKey())));
      h.raw("<h3>").text(key.equals("stable-latencies") ? "Stable latencies (ms)" : "Lost latencies (ms)").raw("</h3><table><tr>");
      for (Map.Entry<?, ?> e : qs) h.raw("<th>").text(quantileName(e.getKey())).raw("</th>");
      h.raw("</tr><tr>");
      for (Map.Entry<?, ?> e : qs) h.raw("<td class=\"num\">").text(e.getValue()).raw("</td>");
      h.raw("</tr></table>");
    }
    boolean valid = Boolean.TRUE.equals(w.get("valid?"));
    h.raw(valid ? "<details>" : "<details open>").raw("<summary>Full checker output</summary><div class=\"tree scroll\">");
    value(h, w, 0, m);
    h.raw("</div></details>\n");
  }

  /** Renders a JSON value as nested tables, ops as clickable one-liners; long lists are cut. */
  private static void value(Html h, Object v, int depth, Report.Model m) {
    if (ReportData.isOpMap(v)) {
      op(h, (Map<?, ?>) v);
      return;
    }
    if (v instanceof Map<?, ?> mm) {
      if (mm.isEmpty()) {
        h.raw("{}");
        return;
      }
      if (depth > 6) {
        h.raw("<code>").text(Report.short_(v)).raw("</code>");
        return;
      }
      h.raw("<table>");
      int i = 0;
      for (Map.Entry<?, ?> e : mm.entrySet()) {
        if (i++ == 60) {
          h.raw("<tr><td colspan=2 class=\"more\">… ").text(mm.size() - 60).raw(" more entries</td></tr>");
          break;
        }
        h.raw("<tr><td class=\"key\">").text(e.getKey()).raw("</td><td>");
        // top-level keys (kafka's lost-write, broadcast's lost …) and Elle's anomalies {G1c …} get their one-liner
        if (depth <= 1 && Explanations.ANOMALIES.containsKey(String.valueOf(e.getKey()))) {
          h.raw("<div class=\"note\">").text(Explanations.ANOMALIES.get(String.valueOf(e.getKey()))).raw("</div>");
        }
        value(h, e.getValue(), depth + 1, m);
        h.raw("</td></tr>");
      }
      h.raw("</table>");
      return;
    }
    if (v instanceof List<?> l) {
      boolean scalars = l.stream().allMatch(x -> !(x instanceof Map) && !(x instanceof List));
      if (!scalars && l.size() <= 12 && l.stream().noneMatch(x -> x instanceof Map)) {
        // a micro-op like [r 9 [1 2 3]] or a short list of pairs: one line reads better than a column
        String json = Json.write(l);
        if (json.length() <= 100) {
          h.raw("<code>").text(json).raw("</code>");
          return;
        }
      }
      if (scalars) {
        StringBuilder sb = new StringBuilder("[");
        int i = 0;
        for (Object x : l) {
          if (i == 200) {
            sb.append(" … ").append(l.size() - 200).append(" more");
            break;
          }
          if (i++ > 0) sb.append(' ');
          sb.append(x instanceof String s ? s : Json.write(x));
        }
        h.raw("<code>").text(sb.append(']')).raw("</code>");
        if (l.size() > 10) h.raw(" <span class=\"more\">(").text(l.size()).raw(")</span>");
        return;
      }
      int i = 0;
      h.raw("<div>");
      for (Object x : l) {
        if (i++ == 25) {
          h.raw("<div class=\"more\">… ").text(l.size() - 25).raw(" more</div>");
          break;
        }
        h.raw("<div>");
        value(h, x, depth + 1, m);
        h.raw("</div>");
      }
      h.raw("</div>");
      return;
    }
    h.raw("<code>").text(v == null ? "nil" : v instanceof String s ? s : Json.write(v)).raw("</code>");
  }

  static double parse(Object k) {
    try {
      return Double.parseDouble(String.valueOf(k));
    } catch (NumberFormatException e) {
      return Double.MAX_VALUE;
    }
  }

  /** "0.5" → "p50", "1" → "max", "0" → "min". */
  static String quantileName(Object k) {
    double q = parse(k);
    if (q == 0) return "min";
    if (q == 1) return "max";
    if (q == Double.MAX_VALUE) return String.valueOf(k);
    return "p" + fmt(q * 100, q * 100 == Math.rint(q * 100) ? 0 : 1);
  }

  private static void op(Html h, Map<?, ?> op) {
    Object idx = op.get("index");
    String type = String.valueOf(op.get("type"));
    double t = num(op.get("time")) / 1e9;
    h.raw("<span class=\"op ").text(type).raw("\" data-index=\"").text(idx).raw("\" title=\"show in the timeline\">#").text(idx)
        .raw(" p").text(op.get("process")).raw(" ").text(type).raw(" ").text(op.get("f")).raw(" ")
        .text(Report.short_(op.get("value"))).raw(" @").text(fmt(t, 3)).raw("s</span>");
  }

  private static void chartBlock(Html h, Map<String, String> charts, Map<String, String> failures, String name, String file) {
    if (charts.containsKey(name)) {
      h.raw("<div class=\"chart\" id=\"chart-").raw(name).raw("\">").raw(charts.get(name)).raw("</div>");
      h.raw("<div class=\"note\">Also saved as <a href=\"").raw(file).raw("\">").raw(file).raw("</a>.</div>\n");
    } else if (failures.containsKey(name)) {
      h.raw("<div class=\"warn\">Chart ").text(name).raw(" could not be drawn: <code>").text(failures.get(name)).raw("</code></div>");
    }
  }

  private static void pairMatrix(Html h, Report.Model m) {
    Map<String, Map<String, Long>> counts = ReportData.pairCounts(m.run.messages());
    List<String> lanes = new ArrayList<>();
    if (counts.containsKey("clients")) lanes.add("clients");
    for (String n : m.run.nodeIds()) if (counts.containsKey(n) || counts.values().stream().anyMatch(x -> x.containsKey(n))) lanes.add(n);
    for (Map<String, Long> row : counts.values()) for (String k : row.keySet()) if (!lanes.contains(k)) lanes.add(k);
    for (String k : counts.keySet()) if (!lanes.contains(k)) lanes.add(k);
    if (lanes.size() > 40) return;
    long max = 1;
    for (Map<String, Long> row : counts.values()) for (long c : row.values()) max = Math.max(max, c);
    h.raw("<details><summary>Messages between endpoints (row sends to column)</summary><table style=\"font-size:11px\"><tr><th></th>");
    for (String l : lanes) h.raw("<th>").text(l).raw("</th>");
    h.raw("</tr>");
    for (String from : lanes) {
      h.raw("<tr><th>").text(from).raw("</th>");
      Map<String, Long> row = counts.getOrDefault(from, Map.of());
      for (String to : lanes) {
        long c = row.getOrDefault(to, 0L);
        double a = c == 0 ? 0 : 0.08 + 0.75 * Math.sqrt((double) c / max);
        h.raw("<td class=\"num\" style=\"background:rgba(43,123,228," + fmt(a, 2) + ")\">").text(c == 0 ? "" : c).raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</table></details>\n");
  }

  /** The fault kinds shaded in this run, in the order they first occur. */
  private static List<String> kinds(Report.Model m) {
    return m.periods.stream().map(ReportData.Period::kind).distinct().toList();
  }

  /** The legend of the shading: "grey bands: partitions", one entry per fault kind of the run. */
  private static String bands(Report.Model m) {
    List<String> ks = kinds(m);
    if (ks.isEmpty()) return "grey bands: partitions";
    List<String> parts = new ArrayList<>();
    for (String k : ks) parts.add(ReportData.FAULT_COLOURS.get(k) + " bands: " + (k.equals("partition") ? "partitions" : k));
    return String.join("; ", parts);
  }

  private static void partitions(Html h, Report.Model m) {
    if (m.periods.isEmpty()) return;
    boolean onlyPartitions = kinds(m).equals(List.of("partition"));
    h.raw("<details><summary>").text(onlyPartitions ? "Partitions" : "Faults").raw(" (").text(m.periods.size())
        .raw(")</summary><table><tr><th>from</th><th>to</th>").raw(onlyPartitions ? "" : "<th>fault</th>")
        .raw("<th>").text(onlyPartitions ? "grudge" : "what").raw("</th></tr>");
    for (ReportData.Period p : m.periods) {
      h.raw("<tr><td class=\"num\">").text(fmt(p.startSec(), 3)).raw(" s</td><td class=\"num\">").text(fmt(p.endSec(), 3))
          .raw(" s</td>").raw(onlyPartitions ? "" : "<td>" + p.kind() + "</td>").raw("<td><code>").text(p.label())
          .raw("</code></td></tr>");
    }
    h.raw("</table></details>\n");
  }

  /** The console's warning that Maelstrom's Elle would probably time out on this run's largest SCC. */
  private static void sccNote(Html h, Report.Model m) {
    String w = glomers.harness.results.Results.sccWarning(Map.of("workload", m.workload));
    if (w != null) h.raw("<p class=\"note\">").text(w).raw("</p>");
  }

  private static void anomalyTable(Html h, Report.Model m) {
    if (m.anomalies.isEmpty()) return;
    h.raw("<h2>Operations named by the checker</h2><p class=\"note\">Ringed on the latency chart; click one to show it in the "
        + "timeline window above.</p>");
    for (Map.Entry<String, List<Map<String, Object>>> e : m.anomalies.entrySet()) {
      h.raw("<h3><span class=\"anom\">").text(e.getKey()).raw("</span> <span class=\"expl\">")
          .text(Explanations.ANOMALIES.getOrDefault(e.getKey(), "")).raw("</span></h3><div>");
      int i = 0;
      for (Map<String, Object> op : e.getValue()) {
        if (i++ == 50) {
          h.raw("<span class=\"more\"> … ").text(e.getValue().size() - 50).raw(" more</span>");
          break;
        }
        op(h, op);
        h.raw(" ");
      }
      h.raw("</div>");
    }
  }

  private static void exceptions(Html h, Map<String, Object> results) {
    Object ex = results.get("exceptions");
    if (ex instanceof Map<?, ?> mm && mm.size() > 1) {
      h.raw("<h2>Exceptions</h2><div class=\"tree\"><pre>").text(Json.write(ex)).raw("</pre></div>");
    }
  }
}
