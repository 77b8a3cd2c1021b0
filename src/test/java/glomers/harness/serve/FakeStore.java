package glomers.harness.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Test utility: run directories in a temporary store, in the files and formats a real run leaves
 * ({@code test.json} as {@code TestSpec.options()} writes it, {@code results.json} with Maelstrom's keys).
 */
final class FakeStore {
  private FakeStore() {}

  static String testJson(String workload, int nodes) {
    return "{\"workload\":\"" + workload + "\",\"bin\":\"target/launcher\",\"node-count\":" + nodes
        + ",\"nodes\":[\"n0\"],\"concurrency\":" + nodes + ",\"rate\":10.0,\"time-limit\":20.0,\"latency\":100.0,"
        + "\"latency-dist\":\"constant\",\"nemesis\":[\"partition\"],\"nemesis-interval\":10.0,"
        + "\"consistency-models\":[\"strict-serializable\"],\"topology\":\"grid\",\"max-txn-length\":4,"
        + "\"max-writes-per-key\":16,\"seed\":42,\"strict\":false,\"node-args\":[\"" + workload + "\"]}\n";
  }

  /** A results.json with Maelstrom's keys; {@code valid} is the JSON of {@code "valid?"} (true, false, "unknown"). */
  static String resultsJson(String valid, double availability, double serversMsgsPerOp, boolean stableLatencies) {
    return "{\"perf\":{\"latency-graph\":{\"valid?\":true},\"rate-graph\":{\"valid?\":true},\"valid?\":true},"
        + "\"timeline\":{\"valid?\":true},\"exceptions\":{\"valid?\":true},"
        + "\"stats\":{\"valid?\":true,\"count\":120,\"ok-count\":118,\"fail-count\":0,\"info-count\":2},"
        + "\"availability\":{\"valid?\":true,\"ok-fraction\":" + availability + "},"
        + "\"net\":{\"all\":{\"send-count\":900,\"recv-count\":890,\"msg-count\":900,\"msgs-per-op\":7.5},"
        + "\"clients\":{\"send-count\":240,\"recv-count\":240,\"msg-count\":240},"
        + "\"servers\":{\"send-count\":660,\"recv-count\":650,\"msg-count\":660,\"msgs-per-op\":" + serversMsgsPerOp + "},"
        + "\"valid?\":true},"
        + "\"workload\":{\"valid?\":" + valid
        + (stableLatencies ? ",\"stable-latencies\":{\"0\":0,\"0.5\":253,\"0.95\":320,\"0.99\":340,\"1\":347}" : "")
        + "},\"valid?\":" + valid + ",\"seed\":42}\n";
  }

  /** {@code store/<workload>/<stamp>/} with test.json, the given files ({@code name, content} pairs), dated {@code stamp}. */
  static Path run(Path store, String workload, String stamp, Instant written, String... files) throws IOException {
    Path dir = store.resolve(workload).resolve(stamp);
    Files.createDirectories(dir.resolve("node-logs"));
    Files.writeString(dir.resolve("test.json"), testJson(workload, 3));
    Files.writeString(dir.resolve("node-logs/n0.log"), "node n0\n");
    for (int i = 0; i + 1 < files.length; i += 2) Files.writeString(dir.resolve(files[i]), files[i + 1]);
    try (var s = Files.walk(dir)) {
      for (Path p : s.toList()) Files.setLastModifiedTime(p, FileTime.from(written));
    }
    return dir;
  }
}
