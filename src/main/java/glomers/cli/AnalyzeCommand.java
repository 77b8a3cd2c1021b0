package glomers.cli;

import glomers.harness.run.HarnessRunner;
import glomers.harness.run.Reanalysis;
import glomers.harness.workload.TestSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code analyze}: Maelstrom's {@code analyze}, the checkers again over a stored run's history with its stored
 * options, without running it again. Exits as {@code test} would have: 0 valid, 1 invalid, 2 unknown; 254 when the
 * run cannot be analysed (one line on stderr).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Re-runs the workload's checkers on a stored run's history.jsonl with its stored options (test.json),",
      "rewrites results.json and report.html, prints the summary and exits with test's exit code."
    })
public final class AnalyzeCommand implements Callable<Integer> {
  static final int BAD_RUN = 254;

  @Parameters(arity = "0..1", paramLabel = "RUN-DIR", description = "A run directory (default store/latest).")
  Path dir = Path.of("store", "latest");

  @Option(names = "--consistency-models", description = "Instead of the stored models (txn workloads).")
  String consistencyModels;

  @Option(names = "--availability", description = "Instead of the stored one: a fraction in [0,1], or `total`.")
  String availability;

  @Option(names = "--strict", negatable = true, description = "Turn the strict analyses on (--no-strict: off).")
  Boolean strict;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(dir)) {
      System.err.println("analyze: not a run directory: " + dir);
      return BAD_RUN;
    }
    UnaryOperator<TestSpec.Builder> overrides;
    try {
      overrides = overrides();
    } catch (IllegalArgumentException e) {
      System.err.println("Bad arguments: " + e.getMessage());
      return BAD_RUN;
    }
    try {
      return Reanalysis.analyse(dir, overrides, System.out, System.err).exitCode();
    } catch (Reanalysis.BadRun e) {
      System.err.println("analyze: " + e.getMessage());
      return BAD_RUN;
    }
  }

  /** The overridden options, parsed and checked exactly as {@code test} parses them. */
  private UnaryOperator<TestSpec.Builder> overrides() {
    List<String> args = new ArrayList<>(List.of("-w", "echo", "--bin", "-"));
    if (consistencyModels != null) args.addAll(List.of("--consistency-models", consistencyModels));
    if (availability != null) args.addAll(List.of("--availability", availability));
    TestSpec given = HarnessRunner.parse(args.toArray(String[]::new)).toSpec();
    return b -> {
      if (consistencyModels != null) b.consistencyModels(given.consistencyModels());
      if (availability != null) b.availability(given.availability());
      if (strict != null) b.strict(strict);
      return b;
    };
  }
}
