package glomers.harness.workload.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.HarnessRun;
import glomers.harness.RunSettings;
import glomers.harness.TestBins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process kafka run through the harness (short: 3 s main phase, a 5 s quiet, then the final
 * polls): our node passes with partitions and few server messages. The {@code KafkaMutant} bugs and the public
 * lin-kv-offsets design (its poll-skip race) are rejected in-process by {@code glomers.mutants.MutantsSimTest};
 * the console's timing note on a poll-skip is {@code glomers.harness.results.ResultsNotesTest}'s.
 */
@RunSettings(finalQuietMs = 5000) // longer than every retry period of the node (commit sync: 2 s)
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
}
