package glomers.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code glomers test …}: the embedded Maelstrom-compatible harness. Placeholder until the harness lands
 * (the harness owns this file; on conflict take the harness version).
 */
@Command(
    name = "test",
    description = "Runs the embedded Maelstrom-compatible test harness (same flags as `maelstrom test`).")
public final class TestCommand implements Callable<Integer> {
  @Unmatched List<String> args;

  @Override
  public Integer call() {
    System.err.println("glomers test: the embedded harness is not available in this build yet");
    return 255;
  }
}
