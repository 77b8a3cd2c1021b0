package glomers.harness.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.history.History;
import glomers.harness.report.RunReader;
import glomers.harness.workload.kafka.KafkaChecker;
import glomers.harness.workload.txn.ListAppendChecker;
import glomers.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recorded harness runs (our nodes, valid, and mutants, invalid) re-checked: the kafka and list-append
 * checkers must give exactly the workload result they gave when the run was recorded, key order included,
 * so a reshaping of a checker cannot silently change a verdict or a results.json key.
 *
 * <p>Each case is {@code golden/<name>/history.jsonl.gz}, {@code options.json} (node count, checker
 * options) and {@code expected.json.gz} (the checker's map as JSON). {@code -Dgolden.write=true} re-records
 * the expected files from the current checkers.
 */
class CheckerGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"kafka-ok", "kafka-skip", "kafka-drop", "kafka-dup", "la-rc", "la-strict", "la-aborted", "la-garbage"})
  void checkerOutputIsUnchanged(String name) throws IOException {
    Map<String, Object> options = Json.parseMap(new String(resource(name, "options.json"), StandardCharsets.UTF_8));
    Files.writeString(tmp.resolve("history.jsonl"), gunzip(resource(name, "history.jsonl.gz")));
    History h = RunReader.read(tmp).history();
    assertFalse(h.ops().isEmpty());
    Checker checker = name.startsWith("kafka") ? new KafkaChecker() : new ListAppendChecker();
    @SuppressWarnings("unchecked")
    Map<String, Object> opts = (Map<String, Object>) options.getOrDefault("options", Map.of());
    String actual = Json.write(checker.check(CheckContext.forTest(((Number) options.get("node-count")).intValue(), opts), h));
    if (Boolean.getBoolean("golden.write")) {
      Path out = Path.of("src/test/resources/glomers/harness/workload/golden", name, "expected.json.gz");
      try (var z = new GZIPOutputStream(Files.newOutputStream(out))) {
        z.write(actual.getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    String expected = gunzip(resource(name, "expected.json.gz"));
    assertEquals(expected, actual, name);
  }

  private static byte[] resource(String name, String file) throws IOException {
    try (InputStream in = CheckerGoldenTest.class.getResourceAsStream("golden/" + name + "/" + file)) {
      if (in == null) throw new IOException("missing golden file " + name + "/" + file);
      return in.readAllBytes();
    }
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
