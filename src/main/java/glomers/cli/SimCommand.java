package glomers.cli;

import glomers.harness.report.Report;
import glomers.harness.results.Results;
import glomers.harness.run.HarnessRunner;
import glomers.harness.run.TestOptions;
import glomers.harness.workload.TestSpec;
import glomers.node.WorkloadHandler;
import glomers.sim.Sim;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
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

  @Option(names = "--shrink", description = "On a failing seed, search for a smaller failing case and print its replay command.")
  boolean shrink;

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
    if (range == null) {
      int exit = Sim.run(spec, node.handlers(), node.settings(), out, err).exitCode();
      return exit == 1 && shrink ? shrink(node, spec.seed()) : exit;
    }
    long[] firstFailing = new long[] {-1};
    int exit = manySeeds(spec, node, range[0], range[1], firstFailing);
    return firstFailing[0] >= 0 && shrink ? shrink(node, firstFailing[0]) : exit;
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

  /** Runs the seeds; {@code firstFailing[0]} becomes the lowest seed that came out invalid (exit 1). */
  private int manySeeds(TestSpec base, NodeSpec node, long from, long to, long[] firstFailing) {
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
    Path group;
    try {
      group = seedGroup(base);
    } catch (IOException e) {
      err.println("sim: cannot create the seeds' directory under " + base.storeRoot() + ": " + e.getMessage());
      return 255;
    }
    List<Future<SeedRun>> futures = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      TestSpec spec = base.toBuilder().seed(s).storeRoot(group.resolve("." + s)).build();
      futures.add(pool.submit(() -> {
        long w0 = System.nanoTime();
        HarnessRunner.Result r = Sim.run(spec, node.handlers(), node.settings(), quiet, quiet, false);
        SeedRun sr = new SeedRun(spec.seed(), r.exitCode(), r.results(), r.crash(), (System.nanoTime() - w0) / 1e9);
        keep(spec, r.storeDir(), group, sr.failed(), quiet);
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
    writeMedians(base, runs);
    writeGroupSummary(base, group, runs);
    runs.stream().filter(r -> r.exit() == 1).findFirst().ifPresent(r -> firstFailing[0] = r.seed());
    return runs.stream().anyMatch(SeedRun::failed) ? Collections.max(runs.stream().map(SeedRun::exit).toList()) : 0;
  }

  /**
   * {@code <store>/<workload>/<time>-seeds/}: the directory that holds one run directory per seed, named by its
   * seed, and {@code seeds.json}; {@code serve} shows it as one group.
   */
  private static Path seedGroup(TestSpec base) throws IOException {
    Path d = Results.createStoreDir(base.storeRoot(), base.workload());
    Path group = d.resolveSibling(d.getFileName() + "-seeds");
    Files.move(d, group);
    return group;
  }

  /**
   * Moves a seed's run directory to {@code <group>/<seed>} (out of the scratch store root the run was given, so
   * that neither {@code store/latest} nor the workload's list of runs sees each seed). Only a failing seed gets its
   * report.html, which keeps many seeds fast: a passing seed keeps its history, journal and results.
   */
  private void keep(TestSpec spec, Path runDir, Path group, boolean failed, PrintStream quiet) {
    Path dest = group.resolve(Long.toString(spec.seed()));
    try {
      if (runDir != null) {
        Files.move(runDir, dest);
        if (failed) Report.afterRun(dest, spec.options(), quiet);
      }
      deleteTree(spec.storeRoot());
    } catch (IOException e) {
      err.println("sim: cannot store seed " + spec.seed() + " under " + group + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** {@code <group>/seeds.json}: the per-seed table and its medians; {@code <store>/latest-seeds} links the group. */
  private void writeGroupSummary(TestSpec base, Path group, List<SeedRun> runs) {
    Path f = group.resolve("seeds.json");
    try {
      Files.writeString(f, glomers.protocol.Json.write(SeedTable.summary(runs, seed -> replayCommand(seed))) + "\n");
      Results.linkLatest(base.storeRoot(), "latest-seeds", group);
      out.println("Runs of the seeds: " + group);
    } catch (IOException e) {
      err.println("sim: cannot write " + f + ": " + e.getMessage());
    }
  }

  /** {@code <store>/latest-seeds.json}: the medians over the seeds, for run.sh's target checks. */
  private void writeMedians(TestSpec base, List<SeedRun> runs) {
    Path f = base.storeRoot().resolve("latest-seeds.json");
    try {
      Files.createDirectories(base.storeRoot());
      Files.writeString(f, glomers.protocol.Json.write(SeedTable.medians(runs)) + "\n");
      out.println("Medians over the seeds: " + f);
    } catch (IOException e) {
      err.println("sim: cannot write " + f + ": " + e.getMessage());
    }
  }

  @Spec CommandSpec commandSpec;

  /** Options of {@code sim} itself, which a replay drops. */
  private static final List<String> SIM_ONLY = List.of("--seeds", "--threads", "--shrink");

  /** The exact command line that replays one seed of this invocation: its arguments without the seed options. */
  String replayCommand(long seed) {
    return "target/launcher sim " + String.join(" ", SeedTable.quote(replayArgs(Map.of("--seed", Long.toString(seed)))));
  }

  /** This invocation's arguments with {@code overrides} (option → value) in front of the rest, sim-only options dropped. */
  List<String> replayArgs(Map<String, String> overrides) {
    List<String> args = new ArrayList<>();
    overrides.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    List<String> original = commandSpec == null ? List.of() : commandSpec.commandLine().getParseResult().originalArgs();
    for (int i = 0; i < original.size(); i++) {
      String a = original.get(i);
      String name = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
      if (overrides.containsKey(name) || SIM_ONLY.contains(name)) {
        if (name.equals(a) && !name.equals("--shrink")) i++; // its value is the next argument
      } else {
        args.add(a);
      }
    }
    return args;
  }

  /**
   * Searches for a smaller failing case than {@code seed} of this invocation: greedily halves the time
   * limit and the rate, removes a node (when {@code --node-count} was given) and doubles the nemesis
   * interval (fewer nemesis events), keeping each step that still fails, on the same seed or one of the
   * next two (a smaller test is another schedule). Prints the smallest replay command and writes its report.
   */
  private int shrink(NodeSpec node, long seed) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Map<String, String> best = new java.util.LinkedHashMap<>(Map.of("--seed", Long.toString(seed)));
    TestSpec bestSpec = parseReplay(best);
    boolean hasNodeCount = replayArgs(Map.of()).contains("--node-count")
        || replayArgs(Map.of()).stream().anyMatch(a -> a.startsWith("--node-count="));
    int tries = 0;
    boolean progress = true;
    while (progress && tries < 80) {
      progress = false;
      Map<String, String> steps = new java.util.LinkedHashMap<>();
      if (bestSpec.timeLimitSeconds() >= 2) steps.put("--time-limit", Targets.fmt(Math.floor(bestSpec.timeLimitSeconds() / 2)));
      if (hasNodeCount && bestSpec.nodeCount() > 1) steps.put("--node-count", Integer.toString(bestSpec.nodeCount() - 1));
      if (bestSpec.rate() >= 2) steps.put("--rate", Targets.fmt(Math.floor(bestSpec.rate() / 2)));
      if (!bestSpec.nemesis().isEmpty() && bestSpec.nemesisIntervalSeconds() * 2 < bestSpec.timeLimitSeconds()) {
        steps.put("--nemesis-interval", Targets.fmt(bestSpec.nemesisIntervalSeconds() * 2));
      }
      search:
      for (Map.Entry<String, String> step : steps.entrySet()) {
        for (long s = seed; s < seed + 3; s++) {
          Map<String, String> o = new java.util.LinkedHashMap<>(best);
          o.put(step.getKey(), step.getValue());
          o.put("--seed", Long.toString(s));
          TestSpec spec;
          try {
            spec = parseReplay(o);
          } catch (IllegalArgumentException | picocli.CommandLine.ParameterException e) {
            continue;
          }
          tries++;
          if (Sim.run(spec, node.handlers(), node.settings(), quiet, quiet, false).exitCode() == 1) {
            best = o;
            bestSpec = spec;
            err.println("shrink: " + step.getKey() + " " + step.getValue() + " (seed " + s + ") still fails");
            progress = true;
            break search;
          }
        }
      }
    }
    HarnessRunner.Result r = Sim.run(bestSpec, node.handlers(), node.settings(), quiet, quiet, true);
    out.println("Smallest failing case found (" + tries + " runs): target/launcher sim "
        + String.join(" ", SeedTable.quote(replayArgs(best))));
    out.println("Its report: " + r.storeDir().resolve("report.html"));
    return r.exitCode();
  }

  private TestSpec parseReplay(Map<String, String> overrides) {
    return HarnessRunner.parse(replayArgs(overrides).toArray(String[]::new)).toSpec(null);
  }
}
