package glomers.harness.workload.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.TestBins;
import glomers.mutants.kafka.LinKvOffsetsNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real multi-process kafka runs through the harness (short: 3 s main phase, then Maelstrom's 10 s quiet
 * and the final polls): our node must pass, with partitions, and the public lin-kv-offsets design is
 * rejected with the process harness's timing warning. The {@code KafkaMutant} bugs are rejected in-process
 * by {@code glomers.mutants.MutantsSimTest}.
 */
class KafkaEndToEndTest {
  @TempDir Path store;

  HarnessRun run(Path bin, String... args) {
    List<String> a = new ArrayList<>(List.of("--bin", bin.toString(), "--store", store.toString(), "--seed", "11",
        "-w", "kafka", "--concurrency", "2n", "--time-limit", "3", "--rate", "300"));
    a.addAll(List.of(args));
    return HarnessRun.of(a.toArray(String[]::new));
  }

  @Test
  void ourNodePassesWithPartitionsAndFewServerMessages() {
    HarnessRun r = run(TestBins.forMainName("glomers.cli.Main", "kafka"), "--node-count", "2", "--nemesis", "partition",
        "--nemesis-interval", "1");
    assertEquals(0, r.result().exitCode(), r.out());
    assertEquals(true, r.get("workload", "valid?"));
    assertTrue((Long) r.get("stats", "by-f", "send", "ok-count") > 100, r.out());
    assertTrue(((Number) r.get("net", "servers", "msgs-per-op")).doubleValue() < 0.5, r.out());
  }

  @SuppressWarnings("unchecked")
  static List<String> errorTypes(HarnessRun r) {
    return (List<String>) r.get("workload", "error-types");
  }

  @Test
  void linKvOffsetsDesignSkipsAnOffsetWhenAWriteIsLate() {
    // The public design of docs/kafka.md#a-public-design-and-its-poll-skip-race with every fifth write held
    // back 150 ms after its offset is reserved (long enough that a loaded machine still polls inside the gap):
    // polls meet reserved-but-unwritten offsets and skip them.
    HarnessRun r = run(TestBins.forMain(LinKvOffsetsNode.class, "150"), "--node-count", "2");
    assertEquals(1, r.result().exitCode(), r.out());
    assertTrue(errorTypes(r).contains("poll-skip"), () -> errorTypes(r).toString());
    assertTrue(r.out().contains("timing-dependent: Maelstrom 0.2.3 may not show this"), r.out());
  }
}
