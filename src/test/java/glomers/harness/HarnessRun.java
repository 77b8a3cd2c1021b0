package glomers.harness;

import glomers.harness.run.HarnessRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Test utility: one in-process harness run with its stdout and stderr captured together (in the order
 * written), and its results map navigable by key path.
 */
public record HarnessRun(HarnessRunner.Result result, String out) {
  /** Runs the harness with these command-line arguments (as after {@code launcher test}). */
  public static HarnessRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HarnessRunner.Result r = HarnessRunner.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8), args);
    return new HarnessRun(r, out.toString(StandardCharsets.UTF_8));
  }

  /** The value at {@code path} in results.json, e.g. {@code get("workload", "valid?")}; null if any key is absent. */
  public Object get(String... path) {
    Object o = result.results();
    for (String p : path) o = o == null ? null : ((Map<?, ?>) o).get(p);
    return o;
  }
}
