package glomers.harness.report;

import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;

/**
 * The run report: one self-contained {@code report.html} (inline SVG charts, CSS and JS; it never loads anything) plus
 * {@code latency.svg}, {@code rate.svg}, {@code message-rate.svg} (and, for broadcast/g-set, {@code stable-latency.svg})
 * beside it for READMEs and issues. docs/report.md describes the page.
 *
 * <p>Two entry points: {@link #writeFor(Path, boolean)} reads a finished store directory back (the CLI's
 * {@code report} command and the harness hook), {@link #write(RunData, Path)} takes the data in memory. Drawing is
 * best-effort: a chart that cannot be drawn (say, a JDK without fonts) becomes a note in the page, and the report is
 * still written.
 */
public final class Report {
  private Report() {}

  /** What was written. */
  public record Output(Path html, List<Path> files, long millis) {}

  static final int MAX_EMBEDDED_MSGS = 150_000;
  static final int MAX_EMBEDDED_OPS = 60_000;

  /**
   * Reads the run in {@code runDir} and writes its report there. With {@code updateLatest}, also points
   * {@code <store>/latest} at {@code runDir} when that link is missing or is a symlink (so
   * {@code store/latest/report.html} opens the newest report), leaving a real directory alone.
   */
  public static Output writeFor(Path runDir, boolean updateLatest) throws IOException {
    Output out = write(RunReader.read(runDir), runDir);
    if (updateLatest) linkLatest(runDir);
    return out;
  }

  /**
   * The harness's end-of-run hook: records the test's options beside the run ({@code test.json}, so the report can
   * be regenerated later with the same node ids and concurrency), writes the report and prints its path to
   * {@code log}. Never throws: a run's verdict must not depend on its report.
   *
   * @param options the test's options as plain values ({@code TestSpec.options()}), or null
   * @return report.html, or null if it could not be written
   */
  public static Path afterRun(Path runDir, Map<String, Object> options, java.io.PrintStream log) {
    if (Boolean.getBoolean("glomers.report.skip") || "off".equals(System.getenv("GLOMERS_REPORT"))) return null;
    try {
      Path test = runDir.resolve("test.json");
      if (options != null && !Files.exists(test)) Files.writeString(test, Json.write(options) + "\n");
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = mx.getCurrentThreadCpuTime();
      Output out = writeFor(runDir, false);
      long cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      if (log != null) log.println("Report: " + out.html() + " (" + out.millis() + " ms, " + cpuMs + " ms CPU)");
      return out.html();
    } catch (Throwable e) { // NOPMD: includes AWT errors; reported, never propagated
      if (log != null) log.println("Report: could not be written: " + e);
      return null;
    }
  }

  /** Points {@code runDir/../../latest} (Maelstrom's {@code store/latest}) at {@code runDir}; best effort. */
  static void linkLatest(Path runDir) {
    try {
      Path dir = runDir.toAbsolutePath().normalize();
      Path store = dir.getParent() == null ? null : dir.getParent().getParent();
      if (store == null) return;
      Path latest = store.resolve("latest");
      if (Files.exists(latest, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest)) return;
      Path target = store.relativize(dir);
      if (Files.isSymbolicLink(latest) && Files.readSymbolicLink(latest).equals(target)) return;
      Path tmp = store.resolve(".latest-" + ProcessHandle.current().pid());
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, target);
      Files.move(tmp, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // a missing convenience link is not worth failing a run for
    }
  }

  /** Writes report.html and the chart SVGs for {@code run} into {@code outDir}. */
  public static Output write(RunData run, Path outDir) throws IOException {
    long t0 = System.nanoTime();
    trace("start", t0);
    Files.createDirectories(outDir);
    Model m = new Model(run);
    trace("model", t0);
    List<Path> files = new ArrayList<>();
    Map<String, String> inline = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    chart(m, "latency", 1300, 480, files, outDir, inline, failures,
        () -> Charts.latency(run.history(), m.points, m.periods, m.anomalies, m.endSec));
    chart(m, "rate", 1300, 320, files, outDir, inline, failures,
        () -> Charts.throughput(ReportData.throughput(run.history(), m.bucketSec, m.endSec), m.bucketSec, m.periods, m.endSec));
    if (!run.messages().isEmpty()) {
      chart(m, "messages", 1300, 320, files, outDir, inline, failures,
          () -> Charts.messageRates(ReportData.messageRates(run.messages(), m.bucketSec, m.endSec), m.bucketSec, m.periods, m.endSec));
      Map<String, double[]> perNode = ReportData.perNodeSendRates(run.messages(), run.nodeIds(), m.bucketSec, m.endSec);
      if (!perNode.isEmpty() && perNode.values().stream().anyMatch(v -> java.util.Arrays.stream(v).sum() > 0)) {
        int height = Math.min(900, 110 + 16 * perNode.size());
        chart(m, "node-messages", 1300, height, files, outDir, inline, failures,
            () -> Charts.nodeHeatmap(perNode, m.bucketSec, m.periods, m.endSec));
      }
    }
    if (m.stable != null && !m.stable.isEmpty()) {
      chart(m, "stable-latency", 900, 380, files, outDir, inline, failures,
          () -> Charts.stableCdf(m.stable, mapOrNull(m.workload.get("stable-latencies"))));
      chart(m, "stable-by-time", 1300, 320, files, outDir, inline, failures, () -> Charts.stableByTime(m.stable, m.endSec));
    }
    trace("charts", t0);
    String html = HtmlReport.render(m, inline, failures, (System.nanoTime() - t0) / 1_000_000);
    trace("html", t0);
    Path htmlFile = outDir.resolve("report.html");
    Files.writeString(htmlFile, html, StandardCharsets.UTF_8);
    files.add(0, htmlFile);
    return new Output(htmlFile, files, (System.nanoTime() - t0) / 1_000_000);
  }

  private static void chart(Model m, String name, int w, int h, List<Path> files, Path outDir, Map<String, String> inline,
      Map<String, String> failures, java.util.function.Supplier<JFreeChart> make) {
    try {
      JFreeChart c = make.get();
      String svg = Charts.svg(c, w, h);
      inline.put(name, svg);
      trace(name, 0);
      // messages.svg is Maelstrom's name for its Lamport diagram; ours is the message-rate plot, so name it so
      Path f = outDir.resolve(name.equals("messages") ? "message-rate.svg" : name + ".svg");
      Files.writeString(f, Charts.svgDocument(svg), StandardCharsets.UTF_8);
      files.add(f);
    } catch (Throwable e) { // NOPMD: AWT can throw Errors (e.g. no fonts); the page must still be written
      failures.put(name, e.toString());
    }
  }

  private static final boolean TRACE = Boolean.getBoolean("glomers.report.trace");

  private static long traceCpu;

  private static void trace(String what, long t0) {
    if (!TRACE) return;
    long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    System.err.printf("report: %s took %d ms cpu%n", what, (cpu - traceCpu) / 1_000_000);
    traceCpu = cpu;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapOrNull(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  /** Everything the page needs, computed once. */
  static final class Model {
    final RunData run;
    final Map<String, Object> workload;
    final Validity validity;
    final double endSec;
    final double bucketSec;
    final List<ReportData.LatencyPoint> points;
    final List<ReportData.Period> periods;
    final Map<String, List<Map<String, Object>>> anomalies;
    final List<ReportData.Stable> stable;
    final int concurrency;

    Model(RunData run) {
      this.run = run;
      Map<String, Object> w = mapOrNull(run.results().get("workload"));
      this.workload = w == null ? Map.of() : w;
      this.validity = run.results().containsKey("valid?") ? Validity.fromJson(run.results().get("valid?")) : Validity.UNKNOWN;
      this.endSec = ReportData.endSeconds(run);
      this.bucketSec = endSec <= 30 ? 0.5 : endSec <= 120 ? 1 : Math.ceil(endSec / 120);
      trace("model: end", 0);
      this.points = ReportData.latencies(run.history());
      trace("model: latencies", 0);
      this.periods = ReportData.partitions(run.history(), endSec);
      this.anomalies = withLostAdds(highlighted(workload), workload, run.history());
      String wl = run.workload() == null ? "" : run.workload();
      List<ReportData.Stable> st = null;
      if (wl.equals("broadcast") || wl.equals("g-set")) {
        st = ReportData.stableLatencies(run.history(), wl.equals("broadcast") ? "broadcast" : "add");
      }
      this.stable = st;
      trace("model: stable", 0);
      this.concurrency = concurrency(run);
    }

    /**
     * The anomalies worth ringing on the charts: for checkers that name their error types (kafka's
     * {@code error-types}, Elle's {@code anomaly-types}) just those; otherwise every group of ops the checker
     * returned (broadcast's worst-stale, counters' errors …); nothing for a valid workload.
     */
    static Map<String, List<Map<String, Object>>> highlighted(Map<String, Object> workload) {
      // a valid run's checker output (broadcast's worst-stale, say) is information, not a problem to point at
      if (Boolean.TRUE.equals(workload.get("valid?"))) return Map.of();
      Map<String, List<Map<String, Object>>> all = ReportData.anomalyOps(workload, 200);
      Object named = workload.containsKey("anomaly-types") ? workload.get("anomaly-types") : workload.get("error-types");
      if (!(named instanceof List<?> l)) return all;
      Set<String> keep = new java.util.HashSet<>();
      for (Object o : l) keep.add(String.valueOf(o));
      Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
      for (Map.Entry<String, List<Map<String, Object>>> e : all.entrySet()) if (keep.contains(e.getKey())) out.put(e.getKey(), e.getValue());
      return out;
    }

    /**
     * Set workloads report lost <em>elements</em>, not operations: point at the acknowledged adds of those elements
     * (first in the list, it is the headline failure).
     */
    static Map<String, List<Map<String, Object>>> withLostAdds(
        Map<String, List<Map<String, Object>>> anomalies, Map<String, Object> workload, History h) {
      if (!(workload.get("lost") instanceof List<?> lost) || lost.isEmpty()) return anomalies;
      Set<Object> lostSet = new java.util.HashSet<>(lost);
      List<Map<String, Object>> adds = new ArrayList<>();
      for (Op o : h.ops()) {
        if (adds.size() >= 200) break;
        if (o.isClient() && o.isOk() && ("broadcast".equals(o.f()) || "add".equals(o.f()))) {
          Op inv = h.pairOf(o);
          if (lostSet.contains(inv != null ? inv.value() : o.value())) adds.add(o.toMap());
        }
      }
      if (adds.isEmpty()) return anomalies;
      Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
      out.put("lost", adds);
      anomalies.forEach(out::putIfAbsent);
      return out;
    }

    /**
     * Worker threads, to lay the timeline out as Jepsen does (a process becomes process + concurrency after an
     * :info). From the run's info when it has it, else: all processes invoked before the first :info completion.
     */
    static int concurrency(RunData run) {
      if (run.info().get("concurrency") instanceof Number n && n.intValue() > 0) return n.intValue();
      long max = -1;
      Set<Long> before = new java.util.HashSet<>();
      boolean sawInfo = false;
      for (Op o : run.history().ops()) {
        if (!o.isClient()) continue;
        max = Math.max(max, o.process());
        if (o.isInfo()) sawInfo = true;
        if (!sawInfo && o.isInvoke()) before.add(o.process());
      }
      if (!sawInfo) return (int) Math.max(1, max + 1);
      return Math.max(1, before.size());
    }
  }

  /**
   * The JSON data the page's script draws from. The two big arrays (messages, ops) are written by hand: a run at
   * rate 1000 has hundreds of thousands of entries, and building maps for Jackson would dominate the report's time.
   */
  static String scriptData(Model m) {
    RunData run = m.run;
    StringBuilder sb = new StringBuilder(64 + run.messages().size() * 40 + run.history().size() * 40);
    long firstSend = 0;
    for (NetMessage msg : run.messages()) firstSend = Math.min(firstSend, msg.sendNanos());
    sb.append("{\"start\":").append(Math.floorDiv(firstSend, 1_000_000L));
    sb.append(",\"end\":").append(Math.round(m.endSec * 1000)).append(",\"defaultWindow\":").append(defaultWindowMs(run.messages()));
    List<Object> periods = new ArrayList<>();
    for (ReportData.Period p : m.periods) periods.add(List.of(ms(p.startSec()), ms(p.endSec()), p.label()));
    sb.append(",\"periods\":").append(Json.write(periods));

    // lanes: clients first, then nodes in test order, then services and anything else
    List<String> lanes = new ArrayList<>();
    Map<String, Integer> laneIdx = new HashMap<>();
    for (NetMessage msg : run.messages()) {
      if (msg.isClient()) {
        lanes.add("clients");
        break;
      }
    }
    lanes.addAll(run.nodeIds());
    for (String l : lanes) laneIdx.put(l, laneIdx.size());
    List<String> types = new ArrayList<>();
    Map<String, Integer> typeIdx = new HashMap<>();
    StringBuilder msgs = new StringBuilder(run.messages().size() * 40);
    int n = 0;
    for (NetMessage msg : run.messages()) {
      if (n >= MAX_EMBEDDED_MSGS) break;
      int src = laneIdx.computeIfAbsent(ReportData.lane(msg.src()), k -> { lanes.add(k); return lanes.size() - 1; });
      int dst = laneIdx.computeIfAbsent(ReportData.lane(msg.dest()), k -> { lanes.add(k); return lanes.size() - 1; });
      int ti = typeIdx.computeIfAbsent(msg.type(), k -> { types.add(k); return types.size() - 1; });
      if (n++ > 0) msgs.append(',');
      msgs.append('[');
      appendMs(msgs, msg.sendNanos()).append(',');
      if (msg.delivered()) appendMs(msgs, msg.recvNanos());
      else msgs.append("null");
      msgs.append(',').append(src).append(',').append(dst).append(',').append(ti).append(',').append(msg.id()).append(']');
    }
    sb.append(",\"lanes\":").append(Json.write(lanes));
    sb.append(",\"types\":").append(Json.write(types));
    sb.append(",\"msgs\":[").append(msgs).append(']');
    sb.append(",\"msgsOmitted\":").append(Math.max(0, run.messages().size() - MAX_EMBEDDED_MSGS));

    History h = run.history();
    List<String> fs = ReportData.clientFs(h);
    Map<String, Integer> fIdx = new HashMap<>();
    for (int i = 0; i < fs.size(); i++) fIdx.put(fs.get(i), i);
    int c = m.concurrency;
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < c; i++) rows.add("w" + i);
    sb.append(",\"rows\":").append(Json.write(rows)).append(",\"fs\":").append(Json.write(fs)).append(",\"ops\":[");
    int count = 0;
    for (Op o : h.ops()) {
      if (!o.isClient() || !o.isInvoke()) continue;
      if (count >= MAX_EMBEDDED_OPS) break;
      Op done = h.pairOf(o);
      int outcome = done == null ? 3 : switch (done.type()) {
        case OK -> 0;
        case FAIL -> 1;
        default -> 2;
      };
      String desc = short_(o.value())
          + (done != null && done.value() != null && !done.value().equals(o.value()) ? " → " + short_(done.value()) : "")
          + (done != null && done.error() != null ? " error " + short_(done.error()) : "");
      if (count++ > 0) sb.append(',');
      sb.append('[');
      appendMs(sb, o.time()).append(',');
      if (done == null) sb.append(-1);
      else appendMs(sb, done.time());
      sb.append(',').append(Math.floorMod(o.process(), (long) c)).append(',').append(outcome).append(',').append(fIdx.getOrDefault(o.f(), 0))
          .append(',').append(o.index()).append(',');
      jsonString(sb, desc).append(',').append(done == null ? -1 : done.index())
          .append(',').append(o.process()).append(']');
    }
    sb.append(']');
    Map<String, Object> an = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> e : m.anomalies.entrySet()) {
      List<Object> idx = new ArrayList<>();
      for (Map<String, Object> op : e.getValue()) idx.add(op.get("index"));
      an.put(e.getKey(), idx);
    }
    sb.append(",\"anomalies\":").append(Json.write(an)).append('}');
    // "</" must not appear inside a <script> element
    return sb.toString().replace("</", "<\\/");
  }

  /**
   * The widest window (of the page's choices, up to 2 s) whose first occurrence holds at most 400 messages, so the
   * message-flow diagram opens readable even for 25 chatty nodes.
   */
  static long defaultWindowMs(List<NetMessage> msgs) {
    long[] choices = {2000, 1000, 500, 250, 100};
    for (long w : choices) {
      long n = msgs.stream().filter(x -> x.sendNanos() < w * 1_000_000).count();
      if (n <= 400) return w;
    }
    return 100;
  }

  /** Nanoseconds as milliseconds with one decimal, without going through Double.toString. */
  static StringBuilder appendMs(StringBuilder sb, long nanos) {
    long tenths = Math.round(nanos / 100_000.0);
    if (tenths < 0) {
      sb.append('-');
      tenths = -tenths;
    }
    return sb.append(tenths / 10).append('.').append(tenths % 10);
  }

  /** A JSON string literal. */
  static StringBuilder jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"');
  }

  static double ms(double sec) {
    return Math.round(sec * 10_000) / 10.0;
  }

  /** A JSON-ish rendering of v cut at about 80 characters, without serialising all of a 10 000-element read. */
  static String short_(Object v) {
    StringBuilder sb = new StringBuilder();
    brief(sb, v, 80);
    return sb.length() > 80 ? sb.substring(0, 77) + "..." : sb.toString();
  }

  private static void brief(StringBuilder sb, Object v, int limit) {
    if (sb.length() > limit) return;
    if (v == null) {
      sb.append("nil");
    } else if (v instanceof String s) {
      sb.append(s.length() > limit ? s.substring(0, limit) : s);
    } else if (v instanceof List<?> l) {
      sb.append('[');
      int i = 0;
      for (Object x : l) {
        if (sb.length() > limit) break;
        if (i++ > 0) sb.append(',');
        if (x instanceof String str) jsonString(sb, str.length() > limit ? str.substring(0, limit) : str);
        else brief(sb, x, limit);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (sb.length() > limit) break;
        if (i++ > 0) sb.append(',');
        jsonString(sb, String.valueOf(e.getKey())).append(':');
        brief(sb, e.getValue(), limit);
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }

  static String resource(String name) {
    try (InputStream in = Report.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) return "–";
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String now() {
    return Instant.now().toString();
  }

}
