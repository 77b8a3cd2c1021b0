package glomers.harness.workload.linkv;

import glomers.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Usage: {@code java -cp … glomers.harness.workload.linkv.LinKvStats store/latest/history.jsonl} → one
 * JSON object on stdout.
 */
public final class LinKvStats {
  private LinKvStats() {}

  public static void main(String[] args) throws IOException {
    System.out.println(Json.write(compute(Files.readAllLines(Path.of(args[0])))));
  }

  public static Map<String, Object> compute(List<String> lines) throws IOException {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (String l : lines) if (!l.isBlank()) ops.add(Json.parseMap(l));
    // Partition windows in ns.
    List<long[]> windows = new ArrayList<>();
    Long openAt = null;
    long end = 0;
    for (Map<String, Object> o : ops) {
      long t = ((Number) o.get("time")).longValue();
      end = Math.max(end, t);
      if (!"nemesis".equals(o.get("process"))) continue;
      String f = (String) o.get("f");
      if ("start-partition".equals(f) && openAt == null) openAt = t;
      if ("stop-partition".equals(f) && openAt != null) {
        windows.add(new long[] {openAt, t});
        openAt = null;
      }
    }
    if (openAt != null) windows.add(new long[] {openAt, end});

    Map<Object, Map<String, Object>> open = new HashMap<>();
    long invokes = 0, oks = 0, outsideInvokes = 0, outsideOks = 0;
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
      for (long[] w : windows) if (t0 <= w[1] && t1 >= w[0]) outside = false;
      boolean ok = "ok".equals(type);
      if (ok) {
        oks++;
        latency.computeIfAbsent((String) o.get("f"), k -> new ArrayList<>()).add((t1 - t0) / 1e6);
      }
      if (outside) {
        outsideInvokes++;
        if (ok) outsideOks++;
      }
    }
    // Invocations never completed count as not ok (Maelstrom's availability does the same).
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ok-fraction", invokes == 0 ? 1.0 : (double) oks / invokes);
    r.put("ok-fraction-outside-partitions", outsideInvokes == 0 ? 1.0 : (double) outsideOks / outsideInvokes);
    r.put("ops-outside-partitions", outsideInvokes);
    r.put("partition-windows", windows.size());
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
