package glomers.bench;

import glomers.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Benchmark figures for a lin-kv run that results.json does not carry, computed from the store's
 * {@code history.jsonl} (used by {@code maelstrom-tests/bench-linkv.sh}):
 *
 * <ul>
 *   <li>{@code ok-fraction}: ok completions / invocations (= Maelstrom's availability);
 *   <li>{@code ok-fraction-outside-partitions}: the same over operations whose whole interval lies outside
 *       every partition window (from the first {@code start-partition} entry to the second
 *       {@code stop-partition} entry, or the end of the history);
 *   <li>latency median / p99 (ms) of ok operations per {@code f}.
 * </ul>
 *
 * <p>Note that Maelstrom's ok fraction cannot approach 1 for lin-kv even for a perfect store: two thirds
 * of the writers' ops are CAS with random {@code from}, most of which correctly fail with error 22, and
 * early reads of unwritten keys correctly fail with 20. So the tool also reports {@code served}: ok or one
 * of those two definite, semantically correct answers — the fraction of requests the store actually
 * answered.
 *
 * <p>Usage: {@code LinKvStats <store dir>} prints one JSON object (results.json figures + the above);
 * {@code LinKvStats --row <store dir> <exit code>} prints one tab-separated row for the benchmark table;
 * {@code LinKvStats --medians <rows.tsv>} prints the per-column medians of such rows.
 */
public final class LinKvStats {
  private LinKvStats() {}

  /**
   * The definite, correct answers besides ok: key-does-not-exist (20) and precondition-failed (22). The
   * history carries an error as {@code [code, text]}; older stores carried its name.
   */
  private static final Set<String> DEFINITE_ANSWERS = Set.of("20", "22", "key-does-not-exist", "precondition-failed");

  /** Column names of {@code --row}. */
  public static final List<String> COLUMNS = List.of(
      "exit", "valid", "ok-fraction", "served", "ok-outside-partitions", "served-outside-partitions",
      "read-p50-ms", "read-p99-ms", "write-p50-ms", "write-p99-ms", "cas-p50-ms", "cas-p99-ms",
      "servers-msgs-per-op", "ops");

  public static void main(String[] args) throws IOException {
    if (args[0].equals("--check")) {
      // Re-runs the lin-kv checker on a stored history and reports its verdict and wall time.
      List<glomers.harness.history.Op> ops = new ArrayList<>();
      for (String l : Files.readAllLines(Path.of(args[1]).resolve("history.jsonl"))) {
        if (l.isBlank()) continue;
        Map<String, Object> m = Json.parseMap(l);
        Object p = m.get("process");
        ops.add(new glomers.harness.history.Op(((Number) m.get("index")).intValue(), ((Number) m.get("time")).longValue(),
            glomers.harness.history.OpType.parse((String) m.get("type")),
            "nemesis".equals(p) ? glomers.harness.history.Op.NEMESIS : ((Number) p).longValue(), (String) m.get("f"),
            m.get("value"), m.get("error"), (String) m.get("exception"), false, null));
      }
      long t0 = System.nanoTime();
      Map<String, Object> res = new glomers.harness.workload.linkv.LinKvChecker().check(
          glomers.harness.check.CheckContext.forTest(5, Map.of()), new glomers.harness.history.History(ops));
      System.out.printf("valid? %s, %d history entries, checked in %d ms%n", res.get("valid?"), ops.size(), (System.nanoTime() - t0) / 1_000_000);
      return;
    }
    if (args[0].equals("--shapes")) {
      // Aggregates served/total per partition shape over several store dirs.
      Map<String, long[]> agg = new TreeMap<>();
      for (int i = 1; i < args.length; i++) {
        Map<String, Object> r = compute(Files.readAllLines(Path.of(args[i]).resolve("history.jsonl")));
        for (Map.Entry<String, Object> e : cast(r.get("served-inside-partition-by-shape")).entrySet()) {
          List<?> v = (List<?>) e.getValue();
          long[] a = agg.computeIfAbsent(e.getKey(), k -> new long[2]);
          a[0] += ((Number) v.get(0)).longValue();
          a[1] += ((Number) v.get(1)).longValue();
        }
      }
      for (Map.Entry<String, long[]> e : agg.entrySet()) {
        System.out.printf(java.util.Locale.ROOT, "%-16s served %.3f of %d ops%n", e.getKey(), (double) e.getValue()[0] / e.getValue()[1], e.getValue()[1]);
      }
      return;
    }
    if (args[0].equals("--medians")) {
      System.out.println(medians(Files.readAllLines(Path.of(args[1]))));
      return;
    }
    boolean row = args[0].equals("--row");
    Path dir = Path.of(args[row ? 1 : 0]);
    Path hist = Files.isDirectory(dir) ? dir.resolve("history.jsonl") : dir;
    Map<String, Object> r = compute(Files.readAllLines(hist));
    Path res = hist.resolveSibling("results.json");
    Map<String, Object> results = Files.exists(res) ? Json.parseMap(Files.readString(res)) : Map.of();
    if (!row) {
      r.put("valid?", results.get("valid?"));
      System.out.println(Json.write(r));
      return;
    }
    Map<String, Object> lat = cast(r.get("latency-ms"));
    List<Object> cols = new ArrayList<>();
    cols.add(args[2]);
    cols.add(results.get("valid?"));
    cols.add(fmt(r.get("ok-fraction")));
    cols.add(fmt(r.get("served")));
    cols.add(fmt(r.get("ok-fraction-outside-partitions")));
    cols.add(fmt(r.get("served-outside-partitions")));
    for (String f : List.of("read", "write", "cas")) {
      Map<String, Object> q = cast(lat.getOrDefault(f, Map.of()));
      cols.add(q.getOrDefault("0.5", "-"));
      cols.add(q.getOrDefault("0.99", "-"));
    }
    Map<String, Object> servers = cast(cast(results.getOrDefault("net", Map.of())).getOrDefault("servers", Map.of()));
    cols.add(fmt(servers.get("msgs-per-op")));
    cols.add(r.get("ops"));
    StringBuilder sb = new StringBuilder();
    for (Object c : cols) sb.append(sb.length() == 0 ? "" : "\t").append(c);
    System.out.println(sb);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String fmt(Object o) {
    return o instanceof Number n ? String.format(java.util.Locale.ROOT, "%.3f", n.doubleValue()) : String.valueOf(o);
  }

  /** Per-column medians of {@code --row} lines (non-numeric columns: counts of each value). */
  static String medians(List<String> rows) {
    List<String[]> cells = new ArrayList<>();
    for (String l : rows) if (!l.isBlank() && !l.startsWith("#")) cells.add(l.split("\t"));
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < COLUMNS.size(); c++) {
      List<Double> nums = new ArrayList<>();
      Map<String, Integer> other = new TreeMap<>();
      for (String[] row : cells) {
        if (c >= row.length) continue;
        try {
          nums.add(Double.parseDouble(row[c]));
        } catch (NumberFormatException e) {
          other.merge(row[c], 1, Integer::sum);
        }
      }
      sb.append(String.format("%-28s", COLUMNS.get(c)));
      if (!nums.isEmpty()) {
        nums.sort(null);
        double med = nums.size() % 2 == 1 ? nums.get(nums.size() / 2) : (nums.get(nums.size() / 2 - 1) + nums.get(nums.size() / 2)) / 2;
        sb.append(String.format(java.util.Locale.ROOT, "median %.3f  (min %.3f, max %.3f, n=%d)", med, nums.get(0), nums.get(nums.size() - 1), nums.size()));
      }
      if (!other.isEmpty()) sb.append(other);
      sb.append('\n');
    }
    return sb.toString();
  }

  public static Map<String, Object> compute(List<String> lines) throws IOException {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (String l : lines) if (!l.isBlank()) ops.add(Json.parseMap(l));
    // Partition windows in ns.
    List<long[]> windows = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    String openShape = null;
    Long openAt = null;
    long end = 0;
    for (Map<String, Object> o : ops) {
      long t = ((Number) o.get("time")).longValue();
      end = Math.max(end, t);
      if (!"nemesis".equals(o.get("process"))) continue;
      String f = (String) o.get("f");
      if ("start-partition".equals(f) && openAt == null) {
        openAt = t;
        openShape = String.valueOf(o.get("value"));
      }
      if ("stop-partition".equals(f) && openAt != null) {
        windows.add(new long[] {openAt, t});
        shapes.add(openShape);
        openAt = null;
      }
    }
    if (openAt != null) {
      windows.add(new long[] {openAt, end});
      shapes.add(openShape);
    }
    // served / total per partition shape, over ops lying entirely inside one window of that shape
    Map<String, long[]> byShape = new TreeMap<>();

    Map<Object, Map<String, Object>> open = new HashMap<>();
    long invokes = 0, oks = 0, served = 0, outsideInvokes = 0, outsideOks = 0, outsideServed = 0;
    Map<String, List<Double>> latency = new TreeMap<>();
    for (Map<String, Object> o : ops) {
      Object p = o.get("process");
      if ("nemesis".equals(p)) continue;
      String type = (String) o.get("type");
      if ("invoke".equals(type)) {
        open.put(p, o);
        invokes++;
        continue;
      }
      Map<String, Object> inv = open.remove(p);
      if (inv == null) continue;
      long t0 = ((Number) inv.get("time")).longValue(), t1 = ((Number) o.get("time")).longValue();
      boolean outside = true;
      String inside = null;
      for (int wi = 0; wi < windows.size(); wi++) {
        long[] w = windows.get(wi);
        if (t0 <= w[1] && t1 >= w[0]) outside = false;
        if (t0 >= w[0] && t1 <= w[1]) inside = shapes.get(wi);
      }
      boolean ok = "ok".equals(type);
      Object err = o.get("error");
      String errName = err instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : String.valueOf(err);
      boolean answered = ok || ("fail".equals(type) && DEFINITE_ANSWERS.contains(errName));
      if (answered) served++;
      if (inside != null) {
        long[] c = byShape.computeIfAbsent(inside, k -> new long[2]);
        c[1]++;
        if (answered) c[0]++;
      }
      if (ok) {
        oks++;
        latency.computeIfAbsent((String) o.get("f"), k -> new ArrayList<>()).add((t1 - t0) / 1e6);
      }
      if (outside) {
        outsideInvokes++;
        if (ok) outsideOks++;
        if (answered) outsideServed++;
      }
    }
    // Invocations never completed count as not ok (Maelstrom's availability does the same).
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ok-fraction", invokes == 0 ? 1.0 : (double) oks / invokes);
    r.put("ok-fraction-outside-partitions", outsideInvokes == 0 ? 1.0 : (double) outsideOks / outsideInvokes);
    r.put("served", invokes == 0 ? 1.0 : (double) served / invokes);
    r.put("served-outside-partitions", outsideInvokes == 0 ? 1.0 : (double) outsideServed / outsideInvokes);
    r.put("ops", invokes);
    r.put("ops-outside-partitions", outsideInvokes);
    r.put("partition-windows", windows.size());
    Map<String, Object> shapeStats = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : byShape.entrySet()) shapeStats.put(e.getKey(), List.of(e.getValue()[0], e.getValue()[1]));
    r.put("served-inside-partition-by-shape", shapeStats);
    Map<String, Object> lat = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : latency.entrySet()) {
      List<Double> v = e.getValue();
      v.sort(null);
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("count", v.size());
      q.put("0.5", round(v.get(Math.min(v.size() - 1, (int) Math.floor(v.size() * 0.5)))));
      q.put("0.99", round(v.get(Math.min(v.size() - 1, (int) Math.floor(v.size() * 0.99)))));
      lat.put(e.getKey(), q);
    }
    r.put("latency-ms", lat);
    return r;
  }

  private static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
