package glomers.bench;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.kafka.KafkaChecker;
import glomers.protocol.Json;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Re-runs the kafka checker on a stored history.jsonl and prints its verdict and CPU/wall time. */
public final class KafkaCheckTime {
  private KafkaCheckTime() {}

  public static void main(String[] args) throws Exception {
    List<Op> ops = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]).resolve("history.jsonl"))) {
      Map<String, Object> m = Json.parseMap(line);
      long p = m.get("process") instanceof Long l ? l : Op.NEMESIS;
      Map<String, Object> extra = new LinkedHashMap<>();
      for (String k : List.of("seek-to-beginning?", "poll-ms")) if (m.containsKey(k)) extra.put(k, m.get(k));
      ops.add(new Op(-1, ((Number) m.get("time")).longValue(), OpType.parse((String) m.get("type")), p,
          (String) m.get("f"), m.get("value"), m.get("error"), (String) m.get("exception"), false, extra));
    }
    var mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime(), wall = System.nanoTime();
    Map<String, Object> r = new KafkaChecker().check(CheckContext.forTest(2, Map.of()), new History(ops));
    System.out.printf("ops %d  valid? %s  cpu %d ms  wall %d ms%n", ops.size(), r.get("valid?"),
        (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000, (System.nanoTime() - wall) / 1_000_000);
  }
}
