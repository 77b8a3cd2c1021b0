package glomers.cli;

import glomers.harness.run.HarnessRunner;
import glomers.harness.run.TestOptions;
import glomers.harness.workload.TestSpec;
import glomers.node.WorkloadHandler;
import glomers.sim.Sim;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sim}: the options of {@code test}, but the nodes are our own handlers, in-process on one virtual
 * clock; the trailing arguments name the node workload and its settings exactly as they follow {@code
 * --bin target/launcher} (docs/sim.md). One seed writes the same store directory as {@code test}; {@code
 * --seeds N} or {@code --seeds A..B} runs many seeds in parallel and prints a table, the distribution of
 * the key figures over seeds, and the replay command of every failing seed.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 254,
    exitCodeOnExecutionException = 255,
    description = "Runs a Maelstrom test against our own node workloads in-process, on virtual time (deterministic per seed).")
public final class SimCommand implements Callable<Integer> {
  @Mixin TestOptions options = new TestOptions();

  @Option(names = "--seeds", paramLabel = "N|A..B", description = "Run seeds 1..N (or A..B) in parallel; print a table.")
  String seeds;

  @Option(names = "--threads", description = "Parallel runs for --seeds (default: available processors).")
  Integer threads;

  private final PrintStream out;
  private final PrintStream err;

  public SimCommand() {
    this(System.out, System.err);
  }

  public SimCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** What the trailing arguments name: the handler factory and its settings. */
  record NodeSpec(String name, Supplier<WorkloadHandler> handlers, Map<String, String> settings) {}

  static NodeSpec nodeSpec(List<String> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("name a node workload after the options, e.g. `sim -w echo … echo`; one of "
          + String.join(" ", NodeWorkloads.names()));
    }
    String name = args.get(0);
    if (!NodeWorkloads.contains(name)) {
      throw new IllegalArgumentException("unknown node workload '" + name + "'; one of " + String.join(" ", NodeWorkloads.names()));
    }
    Map<String, String> settings = Main.parseSettings(args.subList(1, args.size()));
    NodeWorkloads.settings(name).check(settings);
    return new NodeSpec(name, () -> NodeWorkloads.create(name), settings);
  }

  @Override
  public Integer call() {
    TestSpec spec;
    NodeSpec node;
    long[] range;
    try {
      if (options.bin() != null) throw new IllegalArgumentException("sim runs our handlers in-process: drop --bin");
      spec = options.toSpec(null);
      node = nodeSpec(options.nodeArgs());
      range = seeds == null ? null : parseSeeds(seeds);
    } catch (IllegalArgumentException e) {
      err.println("Bad arguments: " + e.getMessage());
      return 254;
    }
    if (range == null) return Sim.run(spec, node.handlers(), node.settings(), out, err).exitCode();
    return manySeeds(spec, node, range[0], range[1]);
  }

  /** {@code N} → 1..N; {@code A..B} → A..B inclusive. */
  static long[] parseSeeds(String s) {
    try {
      int dots = s.indexOf("..");
      long a = dots < 0 ? 1 : Long.parseLong(s.substring(0, dots).trim());
      long b = dots < 0 ? Long.parseLong(s.trim()) : Long.parseLong(s.substring(dots + 2).trim());
      if (b < a) throw new NumberFormatException();
      return new long[] {a, b};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds must be N (seeds 1..N) or A..B with A ≤ B, got " + s);
    }
  }

  /** One seed's outcome, with the wall time its run took. */
  record SeedRun(long seed, int exit, Map<String, Object> results, String crash, double wallSeconds) {
    boolean failed() {
      return exit != 0;
    }
  }

  private int manySeeds(TestSpec base, NodeSpec node, long from, long to) {
    int n = (int) (to - from + 1);
    int parallel = threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "sim-seed");
      t.setDaemon(true);
      return t;
    });
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failing = new AtomicInteger();
    long t0 = System.nanoTime();
    boolean console = System.console() != null && err == System.err;
    List<Future<SeedRun>> futures = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      TestSpec spec = base.toBuilder().seed(s).build();
      futures.add(pool.submit(() -> {
        long w0 = System.nanoTime();
        HarnessRunner.Result r = Sim.run(spec, node.handlers(), node.settings(), quiet, quiet, false);
        SeedRun sr = new SeedRun(spec.seed(), r.exitCode(), r.results(), r.crash(), (System.nanoTime() - w0) / 1e9);
        int d = done.incrementAndGet();
        int f = sr.failed() ? failing.incrementAndGet() : failing.get();
        // On a console the line redraws itself; in a log, one line per tenth of the seeds.
        if (console || d == n || d % Math.max(1, n / 10) == 0) {
          synchronized (err) {
            err.printf(Locale.ROOT, console ? "\r\033[Kseeds %d/%d done, %d failing, %.1f s" : "seeds %d/%d done, %d failing, %.1f s%n",
                d, n, f, (System.nanoTime() - t0) / 1e9);
            err.flush();
          }
        }
        return sr;
      }));
    }
    List<SeedRun> runs = new ArrayList<>();
    try {
      for (Future<SeedRun> f : futures) runs.add(f.get());
    } catch (Exception e) {
      err.println();
      err.println("sim: a seed's run failed: " + e);
      return 255;
    } finally {
      pool.shutdownNow();
    }
    if (console) err.println();
    SeedTable.print(out, runs, (System.nanoTime() - t0) / 1e9, seed -> replayCommand(seed));
    return runs.stream().anyMatch(SeedRun::failed) ? Collections.max(runs.stream().map(SeedRun::exit).toList()) : 0;
  }

  @Spec CommandSpec commandSpec;

  /** The exact command line that replays one seed of this invocation: its arguments without the seed options. */
  String replayCommand(long seed) {
    List<String> args = new ArrayList<>(List.of("--seed", Long.toString(seed)));
    List<String> original = commandSpec == null ? List.of() : commandSpec.commandLine().getParseResult().originalArgs();
    for (int i = 0; i < original.size(); i++) {
      String a = original.get(i);
      if (a.equals("--seeds") || a.equals("--seed") || a.equals("--threads")) {
        i++;
      } else if (!a.startsWith("--seeds=") && !a.startsWith("--seed=") && !a.startsWith("--threads=")) {
        args.add(a);
      }
    }
    return "target/launcher sim " + String.join(" ", SeedTable.quote(args));
  }
}
