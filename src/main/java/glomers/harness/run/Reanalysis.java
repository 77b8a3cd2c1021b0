package glomers.harness.run;

import glomers.harness.check.Checker;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.report.Report;
import glomers.harness.report.RunReader;
import glomers.harness.results.Results;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.Workloads;
import glomers.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Maelstrom's {@code analyze}: the {@link Analysis} phase again over a stored run, from the files the run left
 * ({@code test.json} for the options, {@code history.jsonl}, and from {@code results.json} the network's counters and
 * the harness diagnostics, which only the live run could measure), then results.json, report.html and the console
 * summary as {@code test} writes them. Options that only change the analysis can be overridden.
 */
public final class Reanalysis {
  private Reanalysis() {}

  /** A stored run that cannot be analysed; the message is one line for the console. */
  public static final class BadRun extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRun(String message) {
      super(message);
    }
  }

  /** The outcome: {@code test}'s exit code for this verdict (0 valid, 1 invalid, 2 unknown) and the results. */
  public record Outcome(int exitCode, Map<String, Object> results) {}

  /**
   * Analyses the run in {@code dir} again and rewrites its results.json and report.html.
   *
   * @param overrides applied to the stored options before the analysis (e.g. other consistency models)
   * @param out receives the summary {@code test} prints; {@code log} the report's line
   */
  public static Outcome analyse(Path dir, UnaryOperator<TestSpec.Builder> overrides, PrintStream out, PrintStream log)
      throws BadRun, IOException {
    Map<String, Object> test = readObject(dir.resolve("test.json"), "the run's options");
    Map<String, Object> stored = readObject(dir.resolve("results.json"), "the run's network counters");
    TestSpec spec = overrides.apply(specOf(test, dir)).build();
    Workload workload;
    try {
      workload = Workloads.get(spec.workload());
    } catch (RuntimeException e) {
      throw new BadRun(dir.resolve("test.json") + ": workload " + spec.workload() + ": " + e.getMessage());
    }
    History h = readHistory(dir.resolve("history.jsonl"));
    Map<String, Object> net = stored.get("net") instanceof Map<?, ?> m ? cast(m) : Map.of();
    List<String> diagnostics = new ArrayList<>();
    if (stored.get("harness-diagnostics") instanceof List<?> l) for (Object d : l) diagnostics.add(String.valueOf(d));

    Map<String, Object> results = Analysis.analyse(spec, workload, h, net, diagnostics);
    results.put("seed", spec.seed());
    Results.writeResults(dir, results, diagnostics);
    Report.afterRun(dir, null, log);
    Results.printSummary(out, results, dir, spec, diagnostics);
    return new Outcome(Checker.validity(results).exitCode(), results);
  }

  /** The test's options as test.json records them ({@link TestSpec#options()}), back as a spec builder. */
  static TestSpec.Builder specOf(Map<String, Object> o, Path dir) throws BadRun {
    try {
      TestSpec.Builder b = TestSpec.builder()
          .workload(str(o, "workload"))
          .bin(String.valueOf(o.get("bin")))
          .nodeIds(strings(o.get("nodes")))
          .nodeArgs(strings(o.get("node-args")))
          .concurrency(num(o, "concurrency").intValue())
          .rate(num(o, "rate").doubleValue())
          .timeLimitSeconds(num(o, "time-limit").doubleValue())
          .latencyMs(num(o, "latency").doubleValue())
          .latencyDist(str(o, "latency-dist"))
          .nemesis(new LinkedHashSet<>(strings(o.get("nemesis"))))
          .nemesisIntervalSeconds(num(o, "nemesis-interval").doubleValue())
          .availability(o.get("availability"))
          .consistencyModels(strings(o.get("consistency-models")))
          .topology(str(o, "topology"))
          .keyCount(o.get("key-count") instanceof Number k ? k.intValue() : null)
          .maxTxnLength(num(o, "max-txn-length").intValue())
          .maxWritesPerKey(num(o, "max-writes-per-key").intValue())
          .seed(num(o, "seed").longValue())
          .strict(Boolean.TRUE.equals(o.get("strict")));
      Path store = dir.toAbsolutePath().normalize().getParent();
      if (store != null && store.getParent() != null) b.storeRoot(store.getParent());
      return b;
    } catch (IllegalArgumentException e) {
      throw new BadRun(dir.resolve("test.json") + ": " + e.getMessage());
    }
  }

  /** history.jsonl, strictly: the first line that is not an operation ends the analysis, named by its number. */
  public static History readHistory(Path file) throws BadRun, IOException {
    if (!Files.isRegularFile(file)) throw new BadRun("no history to analyse: " + file + " is missing");
    List<Op> ops = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line; (line = r.readLine()) != null; ) {
        n++;
        if (line.isBlank()) continue;
        try {
          Map<String, Object> m = Json.parseMap(line);
          if (!(m.get("type") instanceof String)) throw new IllegalArgumentException("no \"type\"");
          ops.add(RunReader.opFromMap(m));
        } catch (IOException | RuntimeException e) {
          String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
          throw new BadRun(file + " line " + n + ": not an operation (" + why + ")");
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadRun(file + ": not UTF-8 text");
    }
    return new History(ops);
  }

  private static Map<String, Object> readObject(Path file, String what) throws BadRun {
    if (!Files.isRegularFile(file)) throw new BadRun("not a finished run: " + file + " (" + what + ") is missing");
    try {
      return Json.parseMap(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new BadRun(file + " is not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static String str(Map<String, Object> o, String key) {
    if (!(o.get(key) instanceof String s)) throw new IllegalArgumentException("\"" + key + "\" missing or not a string");
    return s;
  }

  private static Number num(Map<String, Object> o, String key) {
    if (!(o.get(key) instanceof Number n)) throw new IllegalArgumentException("\"" + key + "\" missing or not a number");
    return n;
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) for (Object x : l) out.add(String.valueOf(x));
    return out;
  }
}
