package glomers.harness.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.workload.TestSpec;
import glomers.protocol.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store: {@code store/<workload>/<yyyyMMdd'T'HHmmss.SSS>/} with {@code results.json} (Maelstrom's
 * results.edn keys), {@code history.jsonl}, {@code node-logs/}, {@code net-journal.jsonl},
 * {@code diagnostics.txt}; {@code store/latest} points at the newest run.
 */
public final class Results {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS");

  private Results() {}

  /** The start time a run directory's name records ({@code 20261203T102426.763}), or null for any other name. */
  public static LocalDateTime startTime(String runDirName) {
    try {
      return LocalDateTime.parse(runDirName, TS);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  public static synchronized Path createStoreDir(Path root, String workload) throws IOException {
    Path base = root.resolve(workload);
    Files.createDirectories(base);
    while (true) {
      Path d = base.resolve(LocalDateTime.now().format(TS));
      try {
        Files.createDirectory(d);
        return d;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException(ie);
        }
      }
    }
  }

  public static void write(Path dir, Map<String, Object> results, History h, List<String> diagnostics)
      throws IOException {
    writeResults(dir, results, diagnostics);
    writeHistory(dir.resolve("history.jsonl"), h);
    if (!diagnostics.isEmpty()) Files.write(dir.resolve("diagnostics.txt"), diagnostics);
  }

  /** results.json alone, the diagnostics under {@code harness-diagnostics} (where a re-analysis reads them back). */
  public static void writeResults(Path dir, Map<String, Object> results, List<String> diagnostics) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>(results);
    if (!diagnostics.isEmpty()) out.put("harness-diagnostics", diagnostics);
    Files.writeString(dir.resolve("results.json"),
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n");
  }

  public static void writeHistory(Path file, History h) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        JsonGenerator g = Json.generator(w)) {
      for (Op o : h.ops()) {
        writeOp(g, o);
        g.writeRaw('\n');
      }
    }
  }

  private static final java.util.Set<String> OP_KEYS =
      java.util.Set.of("index", "time", "type", "process", "f", "value", "error", "exception", "final?");

  /** {@code Json.write(o.toMap())}, field by field unless an extra key would replace a standard one. */
  private static void writeOp(JsonGenerator g, Op o) throws IOException {
    for (String k : o.extra().keySet()) {
      if (OP_KEYS.contains(k)) {
        Json.write(g, o.toMap());
        return;
      }
    }
    g.writeStartObject();
    g.writeNumberField("index", o.index());
    g.writeNumberField("time", o.time());
    g.writeStringField("type", o.type().keyword());
    g.writeFieldName("process");
    if (o.process() == Op.NEMESIS) g.writeString("nemesis");
    else g.writeNumber(o.process());
    g.writeFieldName("f");
    Json.write(g, o.f());
    g.writeFieldName("value");
    Json.write(g, o.value());
    if (o.error() != null) {
      g.writeFieldName("error");
      Json.write(g, o.error());
    }
    if (o.exception() != null) {
      g.writeFieldName("exception");
      Json.write(g, o.exception());
    }
    if (o.isFinal()) g.writeBooleanField("final?", true);
    for (Map.Entry<String, Object> e : o.extra().entrySet()) {
      g.writeFieldName(e.getKey());
      Json.write(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** {@code <root>/latest} → {@code <workload>/<time>} (relative symlink); best effort. */
  public static void linkLatest(Path root, Path dir) {
    linkLatest(root, "latest", dir);
  }

  /** Points the link {@code <root>/<name>} at {@code dir} (relative, replaced atomically); no-op without symlinks. */
  public static void linkLatest(Path root, String name, Path dir) {
    try {
      Path link = root.resolve(name);
      Path tmp = root.resolve(name + ".tmp" + ProcessHandle.current().pid() + "-" + System.nanoTime());
      Files.createSymbolicLink(tmp, root.toAbsolutePath().relativize(dir.toAbsolutePath()));
      Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException ignored) {
      // no symlinks here; not essential
    }
  }

  /** {@code ops 123 (ok 120, fail 1, info 2) | availability 0.98 | msgs-per-op 3.1 (servers 1.1) | …}. */
  static String oneLine(Map<String, Object> r) {
    StringBuilder sb = new StringBuilder();
    if (r.get("stats") instanceof Map<?, ?> s) {
      sb.append("ops ").append(s.get("count")).append(" (ok ").append(s.get("ok-count")).append(", fail ")
          .append(s.get("fail-count")).append(", info ").append(s.get("info-count")).append(")");
    }
    if (r.get("availability") instanceof Map<?, ?> a && a.get("ok-fraction") instanceof Number f) {
      sb.append(" | availability ").append(String.format("%.4f", f.doubleValue()));
    }
    if (r.get("net") instanceof Map<?, ?> n && n.get("all") instanceof Map<?, ?> all
        && all.get("msgs-per-op") instanceof Number m && n.get("servers") instanceof Map<?, ?> sv
        && sv.get("msgs-per-op") instanceof Number ms) {
      sb.append(String.format(" | msgs-per-op %.2f (servers %.2f)", m.doubleValue(), ms.doubleValue()));
    }
    sb.append(" | valid?");
    for (Map.Entry<String, Object> e : r.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m && m.containsKey("valid?")) {
        sb.append(' ').append(e.getKey()).append('=').append(m.get("valid?"));
      }
    }
    return sb.toString();
  }

  /** Maelstrom-style console summary: the results, then the verdict line. */
  /** A warning when the workload's cycle search met an SCC that Maelstrom's Elle would probably not finish. */
  @SuppressWarnings("unchecked")
  public static String sccWarning(Map<String, Object> results) {
    if (!(results.get("workload") instanceof Map<?, ?> w)) return null;
    int largest = glomers.harness.check.elle.ElleResult.largestScc((Map<String, Object>) w);
    if (largest < glomers.harness.check.elle.ElleResult.MAELSTROM_TIMEOUT_SCC_SIZE) return null;
    return "Largest SCC: " + largest + " transactions; Maelstrom 0.2.3's Elle (1 s per SCC) would probably"
        + " time out and answer unknown here (see docs/txn.md).";
  }

  /**
   * A note when the kafka checker found {@code poll-skip}: the error is real, but when it comes from a race
   * between a send and a poll (as in the lin-kv offsets design), meeting it depends on timing, and
   * Maelstrom's slower hops make the same race need a far rarer stall (docs/kafka.md).
   */
  public static String pollSkipNote(Map<String, Object> results) {
    if (!(results.get("workload") instanceof Map<?, ?> w) || !(w.get("error-types") instanceof List<?> types)
        || !types.contains("poll-skip")) {
      return null;
    }
    return "poll-skip can be timing-dependent: Maelstrom 0.2.3 may not show this (a send's write racing a"
        + " poll; see docs/kafka.md#a-public-design-and-its-poll-skip-race).";
  }

  /** Below this fraction of {@code --rate}, a run's throughput was set by its workers' round trips. */
  static final double ROUND_TRIP_BOUND = 0.8;

  /**
   * A note under the figures of a run whose throughput is round-trip-bound (fewer ops than the rate asks:
   * each worker waits for its reply): Maelstrom 0.2.3's hops cost more than ours, so there the same run
   * completes fewer operations at higher latencies; the verdict is unaffected (docs/maelstrom.md#per-hop-cost).
   */
  public static String roundTripNote(Map<String, Object> results, TestSpec spec) {
    if (!(results.get("stats") instanceof Map<?, ?> s) || !(s.get("count") instanceof Number count)
        || spec.timeLimitSeconds() <= 0 || spec.rate() <= 0) {
      return null;
    }
    double achieved = count.doubleValue() / spec.timeLimitSeconds();
    if (achieved >= ROUND_TRIP_BOUND * spec.rate()) return null;
    return String.format(java.util.Locale.ROOT, "Round-trip-bound: %.0f ops/s of --rate %s with %d workers; Maelstrom"
        + " 0.2.3's slower hops would give fewer ops and higher latencies here (docs/maelstrom.md#per-hop-cost).",
        achieved, fmt(spec.rate()), spec.concurrency());
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  public static void printSummary(PrintStream out, Map<String, Object> results, Path dir, TestSpec spec,
      List<String> diagnostics) {
    try {
      out.println(Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
    } catch (IOException e) {
      out.println(results);
    }
    out.println();
    if (!diagnostics.isEmpty()) {
      out.println("Harness diagnostics (" + diagnostics.size() + "; they do not change the verdict):");
      for (String d : diagnostics) out.println("  - " + d.replace("\n", "\n    "));
      out.println();
    }
    out.println(oneLine(results));
    String scc = sccWarning(results);
    if (scc != null) out.println(scc);
    for (String note : new String[] {roundTripNote(results, spec), pollSkipNote(results)}) {
      if (note != null) out.println(note);
    }
    out.println("Results in " + dir + "  (seed " + spec.seed() + ")");
    Validity v = Validity.fromJson(results.get("valid?"));
    out.println(switch (v) {
      case TRUE -> "Everything looks good! ヽ(‘ー`)ノ";
      case FALSE -> "Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻";
      case UNKNOWN -> "Errors occurred during analysis, but no anomalies found. ಠ~ಠ";
    });
  }
}
