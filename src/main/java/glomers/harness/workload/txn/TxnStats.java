package glomers.harness.workload.txn;

import glomers.harness.check.elle.ElleResult;
import glomers.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark row for a txn run (used by {@code maelstrom-tests/bench-txn.sh}): exit code, verdict,
 * availability, txn latency median / p99 (ms, ok txns, from {@code history.jsonl}: Maelstrom prints
 * latencies only as plots), servers msgs-per-op and op count.
 *
 * <p>Usage: {@code TxnStats --row <store dir> <exit code>} prints one tab-separated row;
 * {@code TxnStats --medians <rows.tsv>} prints per-column medians (the verdict column as "valid k/n").
 */
public final class TxnStats {
  private TxnStats() {}

  public static final List<String> COLUMNS =
      List.of("exit", "valid", "ok-fraction", "lat-p50-ms", "lat-p99-ms", "servers-msgs-per-op", "ops");

  public static void main(String[] args) throws IOException {
    if (args[0].equals("--medians")) {
      System.out.println(medians(Files.readAllLines(Path.of(args[1]))));
      return;
    }
    if (args[0].equals("--check")) {
      check(Path.of(args[1]), args[2], List.of(args).subList(3, args.length));
      return;
    }
    Path dir = Path.of(args[1]);
    String exit = args.length > 2 ? args[2] : "?";
    System.out.println(row(dir, exit));
  }

  @SuppressWarnings("unchecked")
  static String row(Path dir, String exit) throws IOException {
    Map<String, Object> res = Files.exists(dir.resolve("results.json"))
        ? Json.MAPPER.readValue(dir.resolve("results.json").toFile(), Map.class) : Map.of();
    Map<Long, Long> invokedAt = new HashMap<>();
    List<Double> lat = new ArrayList<>();
    long ops = 0;
    if (Files.exists(dir.resolve("history.jsonl"))) {
      for (String l : Files.readAllLines(dir.resolve("history.jsonl"))) {
        Map<String, Object> op = Json.parseMap(l);
        if (!(op.get("process") instanceof Long p)) continue;
        long t = ((Number) op.get("time")).longValue();
        if ("invoke".equals(op.get("type"))) {
          invokedAt.put(p, t);
          ops++;
        } else {
          Long s = invokedAt.remove(p);
          if (s != null && "ok".equals(op.get("type"))) lat.add((t - s) / 1e6);
        }
      }
    }
    lat.sort(null);
    Object okf = res.get("availability") instanceof Map<?, ?> a ? a.get("ok-fraction") : null;
    Object mpo = null;
    if (res.get("net") instanceof Map<?, ?> net && net.get("servers") instanceof Map<?, ?> s) mpo = s.get("msgs-per-op");
    return String.join("\t", exit, String.valueOf(res.get("valid?")), fmt(okf), fmt(q(lat, 0.5)), fmt(q(lat, 0.99)),
        fmt(mpo), String.valueOf(ops));
  }

  /**
   * Re-checks a stored run's {@code history.jsonl} with the txn checker ({@code rw} or {@code append}) and
   * the given models, printing the verdict, anomaly types and the checker's wall time.
   */
  @SuppressWarnings("unchecked")
  static void check(Path dir, String kind, List<String> models) throws IOException {
    List<glomers.harness.history.Op> ops = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("history.jsonl"))) {
      Map<String, Object> m = Json.parseMap(l);
      long p = m.get("process") instanceof Long x ? x : glomers.harness.history.Op.NEMESIS;
      ops.add(new glomers.harness.history.Op(-1, ((Number) m.get("time")).longValue(),
          glomers.harness.history.OpType.parse((String) m.get("type")), p, (String) m.get("f"), m.get("value"),
          m.get("error"), (String) m.get("exception"), Boolean.TRUE.equals(m.get("final?")), null));
    }
    glomers.harness.history.History h = new glomers.harness.history.History(ops);
    glomers.harness.check.CheckContext ctx = new glomers.harness.check.CheckContext(List.of(), 0,
        Map.of("consistency-models", models.isEmpty() ? List.of("strict-serializable") : models));
    long t0 = System.nanoTime();
    Map<String, Object> res = kind.equals("append") ? new ListAppendChecker().check(ctx, h) : new RwRegisterChecker().check(ctx, h);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("valid? " + res.get("valid?") + "  anomaly-types " + res.get("anomaly-types") + "  ops "
        + ops.size() + "  check " + ms + " ms  largest-sccs " + res.getOrDefault(ElleResult.LARGEST_SCCS, List.of()));
  }

  private static Double q(List<Double> s, double p) {
    if (s.isEmpty()) return null;
    return s.get(Math.min(s.size() - 1, (int) Math.floor(s.size() * p)));
  }

  private static String fmt(Object o) {
    if (o instanceof Number n) return String.format("%.4g", n.doubleValue());
    return String.valueOf(o);
  }

  static String medians(List<String> rows) {
    List<String[]> data = new ArrayList<>();
    for (String r : rows) if (!r.isBlank() && !r.startsWith("#")) data.add(r.split("\t"));
    StringBuilder sb = new StringBuilder();
    long valid = data.stream().filter(r -> r[1].equals("true")).count();
    sb.append("valid ").append(valid).append('/').append(data.size());
    for (int c = 2; c < COLUMNS.size(); c++) {
      List<Double> v = new ArrayList<>();
      for (String[] r : data) {
        try {
          v.add(Double.parseDouble(r[c]));
        } catch (RuntimeException e) {
          // missing figure (crashed run)
        }
      }
      v.sort(null);
      sb.append("  ").append(COLUMNS.get(c)).append(' ').append(v.isEmpty() ? "-" : fmt(v.get(v.size() / 2)));
    }
    return sb.toString();
  }
}
