package glomers.harness.results;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.workload.TestSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's notes under the figures: round-trip-bound throughput, and a timing-dependent poll-skip. */
class ResultsNotesTest {
  static TestSpec spec(double rate, double timeLimit) {
    return TestSpec.builder().workload("kafka").bin("x").nodeCount(2).concurrency(4).rate(rate)
        .timeLimitSeconds(timeLimit).build();
  }

  static Map<String, Object> results(long count, List<String> errorTypes) {
    return Map.of("stats", Map.of("count", count), "workload", Map.of("valid?", errorTypes.isEmpty(), "error-types", errorTypes),
        "valid?", errorTypes.isEmpty());
  }

  @Test
  void aRunFarBelowItsRateIsRoundTripBound() {
    String note = Results.roundTripNote(results(5_000, List.of()), spec(1000, 20));
    assertTrue(note != null && note.contains("250 ops/s of --rate 1000 with 4 workers"), note);
    assertNull(Results.roundTripNote(results(19_000, List.of()), spec(1000, 20)));
  }

  @Test
  void pollSkipIsMarkedTimingDependent() {
    assertTrue(Results.pollSkipNote(results(10, List.of("poll-skip"))).contains("timing-dependent: Maelstrom 0.2.3 may not show this"));
    assertNull(Results.pollSkipNote(results(10, List.of("unseen"))));
  }

  @Test
  void bothNotesReachTheConsole() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Results.printSummary(new PrintStream(buf, true, StandardCharsets.UTF_8), results(100, List.of("poll-skip")), Path.of("d"),
        spec(1000, 20), List.of());
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Round-trip-bound: 5 ops/s") && out.contains("poll-skip can be timing-dependent"), out);
  }
}
