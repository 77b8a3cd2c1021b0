package glomers.bench;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.kafka.KafkaChecker;
import glomers.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises kafka runs for maelstrom-tests/bench-kafka.sh: per run and as medians, the verdict, server
 * and total msgs-per-op, availability, achieved main-phase throughput, the checker's worst realtime lag,
 * the worst lag among polls invoked after the first 5 s (steady state, without cold-JVM start-up),
 * and send/poll latency (median, p99) of ok ops from history.jsonl.
 *
 * <p>Usage: {@code KafkaBenchStats <time-limit-seconds> <rate> <store dir>…}
 */
public final class KafkaBenchStats {
  private KafkaBenchStats() {}

  static final String[] COLS = {"msgs/op(srv)", "msgs/op(all)", "ok-fraction", "achieved/s", "achieved%",
      "worst-lag-ms", "lag-at-s", "lag>5s-ms", "send-p50-ms", "send-p99-ms", "poll-p50-ms", "poll-p99-ms"};

  public static void main(String[] args) throws Exception {
    double limit = Double.parseDouble(args[0]);
    double rate = Double.parseDouble(args[1]);
    List<double[]> rows = new ArrayList<>();
    int valid = 0;
    System.out.printf(Locale.ROOT, "%-7s", "valid?");
    for (String c : COLS) System.out.printf(Locale.ROOT, " %13s", c);
    System.out.println();
    for (int i = 2; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      Map<String, Object> r = Json.parseMap(Files.readString(dir.resolve("results.json")));
      boolean ok = Boolean.TRUE.equals(r.get("valid?"));
      if (ok) valid++;
      Map<?, ?> net = (Map<?, ?>) r.get("net");
      Map<?, ?> lag = (Map<?, ?>) ((Map<?, ?>) r.get("workload")).get("worst-realtime-lag");
      Map<Long, Long> invokeTime = new HashMap<>();
      Map<String, List<Double>> lat = new HashMap<>();
      long mainInvokes = 0;
      List<Op> ops = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("history.jsonl"))) {
        Map<String, Object> op = Json.parseMap(line);
        if (!(op.get("process") instanceof Long p)) continue;
        ops.add(new Op(-1, ((Number) op.get("time")).longValue(), OpType.parse((String) op.get("type")), p,
            (String) op.get("f"), op.get("value"), op.get("error"), null, false, null));
        long t = ((Number) op.get("time")).longValue();
        if (op.get("type").equals("invoke")) {
          invokeTime.put(p, t);
          if (t <= limit * 1e9) mainInvokes++;
        } else if (op.get("type").equals("ok")) {
          Long t0 = invokeTime.get(p);
          if (t0 != null) lat.computeIfAbsent((String) op.get("f"), f -> new ArrayList<>()).add((t - t0) / 1e6);
        }
      }
      double achieved = mainInvokes / limit;
      double[] row = {
        num(((Map<?, ?>) net.get("servers")).get("msgs-per-op")), num(((Map<?, ?>) net.get("all")).get("msgs-per-op")),
        num(((Map<?, ?>) r.get("availability")).get("ok-fraction")), achieved, 100 * achieved / rate,
        lag == null ? Double.NaN : num(lag.get("lag")) * 1000, lag == null ? Double.NaN : num(lag.get("time")),
        num(KafkaChecker.worstRealtimeLag(new History(ops), 5_000_000_000L).get("lag")) * 1000,
        q(lat.get("send"), 0.5), q(lat.get("send"), 0.99), q(lat.get("poll"), 0.5), q(lat.get("poll"), 0.99)};
      rows.add(row);
      print(String.valueOf(ok), row);
    }
    double[] med = new double[COLS.length];
    for (int c = 0; c < COLS.length; c++) {
      List<Double> col = new ArrayList<>();
      for (double[] row : rows) col.add(row[c]);
      med[c] = q(col, 0.5);
    }
    print(valid + "/" + rows.size(), med);
    System.out.println("(last line: number of valid runs, then the median of each column)");
  }

  static void print(String first, double[] row) {
    System.out.printf(Locale.ROOT, "%-7s", first);
    for (double v : row) System.out.printf(Locale.ROOT, " %13.4f", v);
    System.out.println();
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Nearest-rank quantile. */
  static double q(List<Double> xs, double q) {
    if (xs == null || xs.isEmpty()) return Double.NaN;
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int i = (int) Math.ceil(q * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }
}
