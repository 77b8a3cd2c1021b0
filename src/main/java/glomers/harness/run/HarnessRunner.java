package glomers.harness.run;

import glomers.harness.workload.TestSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one test: the programmatic entry of the harness, used by the CLI and by tests.
 *
 * <p>Tests: {@code HarnessRunner.run("-w", "echo", "--bin", bin.toString(), "--node-count", "1",
 * "--time-limit", "3")} → {@link Result} with the exit code, the results map (as in results.json; null when
 * the run crashed) and the store directory.
 */
public final class HarnessRunner {
  private HarnessRunner() {}

  /** The outcome of one run. */
  public record Result(int exitCode, Map<String, Object> results, Path storeDir, String crash) {
    public boolean valid() {
      return exitCode == 0;
    }
  }

  /** Parses {@code maelstrom test} arguments exactly as the CLI does and runs the test. */
  public static Result run(String... maelstromArgs) {
    return run(System.out, System.err, maelstromArgs);
  }

  public static Result run(PrintStream out, PrintStream err, String... maelstromArgs) {
    TestSpec spec;
    try {
      spec = parse(maelstromArgs).toSpec();
    } catch (picocli.CommandLine.ParameterException | IllegalArgumentException e) {
      err.println("Bad arguments: " + e.getMessage());
      return new Result(254, null, null, e.getMessage());
    }
    return run(spec, out, err);
  }

  /** Parses {@code maelstrom test} arguments into options (picocli's ParameterException on bad syntax). */
  public static TestOptions parse(String... args) {
    TestOptions options = new TestOptions();
    new picocli.CommandLine(new Args(options)).parseArgs(args);
    return options;
  }

  @picocli.CommandLine.Command(name = "test")
  private static final class Args {
    @picocli.CommandLine.Mixin final TestOptions options;

    Args(TestOptions options) {
      this.options = options;
    }
  }

  /** Runs a parsed spec. */
  public static Result run(TestSpec spec, PrintStream out, PrintStream err) {
    return new TestRun(spec, out, err).run();
  }
}
