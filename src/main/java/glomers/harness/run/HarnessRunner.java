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
    glomers.cli.TestCommand cmd = new glomers.cli.TestCommand(out, err);
    picocli.CommandLine cl = new picocli.CommandLine(cmd);
    TestSpec spec;
    try {
      cl.parseArgs(maelstromArgs);
      spec = cmd.toSpec();
    } catch (picocli.CommandLine.ParameterException | IllegalArgumentException e) {
      err.println("Bad arguments: " + e.getMessage());
      return new Result(254, null, null, e.getMessage());
    }
    return run(spec, out, err);
  }

  /** Runs a parsed spec. */
  public static Result run(TestSpec spec, PrintStream out, PrintStream err) {
    return new TestRun(spec, out, err).run();
  }
}
