package glomers.sim;

import glomers.harness.run.HarnessRunner;
import glomers.harness.run.TestRun;
import glomers.harness.time.VirtualScheduler;
import glomers.harness.workload.TestSpec;
import glomers.node.WorkloadHandler;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The in-process simulation: one harness test ({@link TestRun}: the harness's own network model,
 * services, generators, client rules, nemesis and checkers) whose nodes are our handlers on one virtual
 * clock. Same spec and seed ⇒ the same history, results and journal (see docs/sim.md).
 */
public final class Sim {
  private Sim() {}

  /**
   * Runs one test.
   *
   * @param handlers makes one handler per node (the node workload the trailing arguments name)
   * @param settings the node's {@code key=value} settings
   */
  public static HarnessRunner.Result run(TestSpec spec, Supplier<WorkloadHandler> handlers,
      Map<String, String> settings, PrintStream out, PrintStream err) {
    return run(spec, handlers, settings, out, err, true);
  }

  /** As above; {@code report} false skips report.html (its replay writes it). */
  public static HarnessRunner.Result run(TestSpec spec, Supplier<WorkloadHandler> handlers,
      Map<String, String> settings, PrintStream out, PrintStream err, boolean report) {
    VirtualScheduler clock = new VirtualScheduler();
    return new TestRun(spec, out, err, new SimBackend(handlers, settings, clock), clock).report(report).run();
  }
}
