package glomers.cli;

import glomers.harness.run.HarnessRunner;
import glomers.harness.run.TestOptions;
import glomers.harness.workload.TestSpec;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code test}: runs a node binary under the Maelstrom-compatible harness. Options, defaults and exit
 * codes are those of {@code maelstrom test} v0.2.3 ({@link TestOptions}; docs/maelstrom.md#test-lifecycle,
 * #options): 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crash.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 254,
    exitCodeOnExecutionException = 255,
    description = "Runs a Maelstrom test against --bin (Maelstrom v0.2.3-compatible).")
public final class TestCommand implements Callable<Integer> {
  @Mixin TestOptions options = new TestOptions();

  private final PrintStream out;
  private final PrintStream err;

  public TestCommand() {
    this(System.out, System.err);
  }

  public TestCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    TestSpec spec;
    try {
      spec = toSpec();
    } catch (IllegalArgumentException e) {
      err.println("Bad arguments: " + e.getMessage());
      return 254;
    }
    return HarnessRunner.run(spec, out, err).exitCode();
  }

  /** Parses and validates the options into a spec; IllegalArgumentException → exit 254. */
  public TestSpec toSpec() {
    return options.toSpec();
  }
}
