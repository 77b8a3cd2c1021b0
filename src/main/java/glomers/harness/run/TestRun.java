package glomers.harness.run;

import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.client.ClientIds;
import glomers.harness.client.NetClient;
import glomers.harness.history.History;
import glomers.harness.nemesis.DuplicateFault;
import glomers.harness.nemesis.Fault;
import glomers.harness.nemesis.Nemesis;
import glomers.harness.nemesis.NodeControl;
import glomers.harness.nemesis.NodeFault;
import glomers.harness.nemesis.PartitionFault;
import glomers.harness.net.Latency;
import glomers.harness.net.Network;
import glomers.harness.results.Results;
import glomers.harness.service.LinKv;
import glomers.harness.service.LinTso;
import glomers.harness.service.LwwKv;
import glomers.harness.service.SeqKv;
import glomers.harness.service.ServiceRunner;
import glomers.harness.time.RealScheduler;
import glomers.harness.time.Scheduler;
import glomers.harness.workload.Errors;
import glomers.harness.workload.Generator;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.Workloads;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One test, start to finish, following Maelstrom's lifecycle (docs/maelstrom.md#test-lifecycle):
 *
 * <ol>
 *   <li>network, services, nodes, {@code init} (parallel, 10 s);
 *   <li>client setup (one setup client per node, kept open), nemesis setup (heal);
 *   <li>main phase: the {@link Workers} under a global rate stagger, cut at first op + time limit, merged
 *       with the {@link Nemesis} schedule;
 *   <li>final phase when the workload has one: wait idle → heal → 10 s → final generator (optionally cut);
 *   <li>teardown: close clients, heal, stop nodes ("node crashed" if one had died), stop services;
 *   <li>analysis ({@link Analysis}): common checkers + workload checker → results.json, exit 0/1/2.
 * </ol>
 *
 * How nodes are reached ({@link NodeBackend}) and how time passes ({@link Scheduler}) are injected; every
 * rule above is the same for node processes on the wall clock and for in-process nodes on virtual time.
 * Any failure before analysis is a crash: exit 255, no results (as Maelstrom). Every exit path stops the
 * nodes; a watchdog bounds the whole run.
 */
public final class TestRun implements Progress.Source {
  /** Thrown for conditions Maelstrom aborts on (exit 255). */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }

    Crash(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final long INIT_TIMEOUT_MS = 10_000;
  private static final long FINAL_QUIET_MS = 10_000;

  private final TestSpec spec;
  private final PrintStream out;
  private final PrintStream err;
  private final Diagnostics diag;
  private final NodeBackend nodes;
  private final Scheduler clock;
  private final long t0;
  private final List<ServiceRunner> services = new ArrayList<>();
  private final List<NetClient> setupClients = new ArrayList<>();
  private final ClientIds clientIds = new ClientIds();
  private volatile HistoryRecorder history;
  private Workload workload;
  private Network net;
  private Path dir;
  private volatile boolean aborted;
  private volatile String phase = "setup";
  private volatile Workers workers;
  private boolean report = true;
  private Nemesis nemesis;
  private final AtomicReference<String> fatal = new AtomicReference<>();

  /** A run on node processes of {@code spec.bin()}, in real time. */
  public TestRun(TestSpec spec, PrintStream out, PrintStream err) {
    this(spec, out, err, new ProcessBackend(), RealScheduler.INSTANCE);
  }

  public TestRun(TestSpec spec, PrintStream out, PrintStream err, NodeBackend nodes, Scheduler clock) {
    this.spec = spec;
    this.out = out;
    this.err = err;
    this.diag = new Diagnostics(err);
    this.nodes = nodes;
    this.clock = clock;
    this.t0 = clock.nanoTime();
    this.history = new HistoryRecorder(clock, t0);
  }

  /** Whether to write report.html after the run (default on; many-seed runs write it only on replay). */
  public TestRun report(boolean on) {
    this.report = on;
    return this;
  }

  /** Runs the test; never throws. */
  public HarnessRunner.Result run() {
    Thread hook = new Thread(this::emergencyKill, "harness-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // JVM already shutting down
    }
    Scheduler.Task[] watchdog = new Scheduler.Task[1];
    try {
      clock.runMain(() -> {
        watchdog[0] = startWatchdog();
        runPhases();
        return null;
      });
      return analyse();
    } catch (Crash c) {
      return crashed(c.getMessage(), c.getCause());
    } catch (Throwable t) {
      return crashed(Errors.describe(t), t);
    } finally {
      if (watchdog[0] != null) watchdog[0].interrupt();
      emergencyKill();
      for (ServiceRunner s : services) s.stop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // shutting down
      }
    }
  }

  private HarnessRunner.Result crashed(String message, Throwable cause) {
    aborted = true;
    err.println();
    err.println("Test crashed (exit 255): " + message);
    if (cause != null && !(cause instanceof Crash) && System.getenv("GLOMERS_HARNESS_DEBUG") != null) {
      cause.printStackTrace(err);
    }
    if (dir != null) {
      try {
        Files.writeString(dir.resolve("crash.txt"), message + "\n");
        Results.writeHistory(dir.resolve("history.jsonl"), history.history());
        if (!diag.isEmpty()) Files.write(dir.resolve("diagnostics.txt"), diag.all());
      } catch (IOException ignored) {
        // best effort
      }
      if (report) glomers.harness.report.Report.afterRun(dir, spec.options(), err);
    }
    return new HarnessRunner.Result(255, null, dir, message);
  }

  /**
   * Loads and initialises Jackson (de)serialisation on a side thread while the main thread creates the
   * store and spawns the nodes: a cold ObjectMapper costs ~0.3–1 s of start-up that would otherwise sit on
   * the critical path before {@code init}.
   */
  private static void warmUpJson() {
    Thread t = new Thread(() -> {
      try {
        Map<String, Object> m = glomers.protocol.Json.parseMap(
            "{\"src\":\"n0\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1,\"x\":[1.5,true,null]}}");
        glomers.protocol.Json.write(m);
        glomers.protocol.Json.MAPPER.readValue("[1]", Object.class);
      } catch (Exception ignored) {
        // only a warm-up
      }
    }, "json-warmup");
    t.setDaemon(true);
    t.start();
  }

  /** Everything up to analysis; on virtual time, the main activity of the event loop. */
  private void runPhases() throws Exception {
    if (!clock.isVirtual()) warmUpJson();
    workload = Workloads.get(spec.workload());
    try {
      workload.validate(spec);
    } catch (IllegalArgumentException | AssertionError e) {
      throw new Crash("Assert failed: " + e.getMessage());
    }
    timing("workload loaded");
    dir = Results.createStoreDir(spec.storeRoot(), spec.workload());
    err.println("glomers harness: " + spec.workload() + " on " + spec.nodeIds() + ", seed " + spec.seed()
        + ", store " + dir);
    timing("store dir");
    Writer journal =
        spec.journal() ? Files.newBufferedWriter(dir.resolve("net-journal.jsonl"), StandardCharsets.UTF_8) : null;
    net = new Network(new Latency(spec.latencyMs(), spec.latencyDist(), spec.random("latency")), clock, t0, journal);

    // Services exist before any node starts (Maelstrom starts them in the first node's setup).
    for (var s : List.of(new LinKv(), new SeqKv(spec.random("seq-kv")), new LwwKv(spec.random("lww-kv")), new LinTso())) {
      ServiceRunner r = new ServiceRunner(s, net, diag);
      services.add(r);
      r.start();
    }
    timing("services");
    try {
      nodes.start(spec, dir, net, diag, err);
    } catch (IOException e) {
      throw new Crash(e.getMessage(), e);
    }
    timing("nodes started");
    Files.writeString(dir.resolve("test.json"), glomers.protocol.Json.write(spec.options()) + "\n");
    initNodes();
    timing("init done");
    setupClients();
    timing("setup done");
    net.heal();

    phase = "main";
    Progress progress = new Progress(err, spec.timeLimitSeconds(), !clock.isVirtual(), this);
    progress.start();
    try {
      mainPhase();
      Generator fin = workload.finalGenerator(spec);
      if (fin != null && !aborted) {
        finalPhase(fin);
      } else if (!aborted && !spec.partitionsOnly()) {
        nemesis.healAll(); // the dead restart and the paused resume before teardown
      }
    } finally {
      progress.stop();
    }
    if (fatal.get() != null) throw new Crash(fatal.get());
    if (aborted) throw new Crash("aborted by the watchdog: the run exceeded its time budget (see diagnostics)");

    timing("main/final phases done");
    phase = "teardown";
    List<String> crashes = teardown();
    if (!crashes.isEmpty()) throw new Crash(String.join("\n\n", crashes));
    timing("teardown done");
  }

  private HarnessRunner.Result analyse() throws IOException {
    phase = "analysis";
    History h = history.history();
    Map<String, Object> results = Analysis.analyse(spec, workload, h, net.stats(), diag.all());
    results.put("seed", spec.seed()); // not a Maelstrom key: the harness's reproducibility handle
    if (!spec.partitionsOnly()) results.put("faults", faultCounts()); // beyond Maelstrom, as the faults
    Validity v = Checker.validity(results);
    timing("checkers");
    Results.write(dir, results, h, diag.all());
    timing("results written");
    Results.linkLatest(spec.storeRoot(), dir);
    if (report) glomers.harness.report.Report.afterRun(dir, spec.options(), err);
    timing("analysis and results written");
    Results.printSummary(out, results, dir, spec, diag.all());
    return new HarnessRunner.Result(v.exitCode(), results, dir, null);
  }

  /** results.json's {@code faults}: starts of each fault kind, and the messages the network duplicated. */
  private Map<String, Object> faultCounts() {
    Map<String, Object> m = new LinkedHashMap<>(nemesis == null ? Map.of() : nemesis.starts());
    if (spec.nemesis().contains("duplicate")) m.put("duplicated-messages", net.stats().duplicated());
    return m;
  }

  /** With GLOMERS_HARNESS_TIMING set: elapsed time of each lifecycle step on stderr (and in the JVM's uptime). */
  private void timing(String step) {
    if (TIMING) {
      err.printf("[timing] %-32s %7.3f s since run start, %7.3f s JVM uptime%n", step, (clock.nanoTime() - t0) / 1e9,
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }
  }

  private static final boolean TIMING = System.getenv("GLOMERS_HARNESS_TIMING") != null;

  // ---------------------------------------------------------------------------------------------- nodes

  private void initNodes() throws InterruptedException {
    List<NetClient> initClients = new ArrayList<>();
    for (String id : spec.nodeIds()) initClients.add(new NetClient(clientIds.next(), id, net));
    AtomicReference<String> failure = new AtomicReference<>();
    List<Scheduler.Task> ts = new ArrayList<>();
    for (NetClient c : initClients) {
      ts.add(clock.spawn("init-" + c.node(), () -> {
        try {
          String m = init(c);
          if (m != null) failure.compareAndSet(null, m);
        } finally {
          c.close();
        }
      }));
    }
    joinAll(ts);
    if (failure.get() != null) throw new Crash(failure.get());
  }

  /** Sends {@code init} through {@code c} and waits for {@code init_ok}; returns the crash text or null. */
  private String init(NetClient c) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "init");
    body.put("node_id", c.node());
    body.put("node_ids", spec.nodeIds());
    try {
      Map<String, Object> reply = c.call(body, INIT_TIMEOUT_MS, null);
      if (!"init_ok".equals(reply.get("type"))) {
        return "Expected node " + c.node() + " to respond to an init message with type init_ok, but it sent "
            + glomers.protocol.Json.write(reply);
      }
      return null;
    } catch (RpcTimeoutException e) {
      String m = "Expected node " + c.node() + " to respond to an init message, but node did not respond"
          + " within " + INIT_TIMEOUT_MS + " ms";
      diag.accept(m + " — a node must print {\"src\":…,\"dest\":…,\"body\":{\"type\":\"init_ok\","
          + "\"in_reply_to\":…}} and flush stdout (docs/maelstrom.md#bodies-rpc-and-init)");
      return m;
    } catch (RpcErrorException e) {
      return "Node " + c.node() + " answered init with an error: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted during init";
    } catch (Exception e) {
      return "init of " + c.node() + " failed: " + Errors.describe(e);
    }
  }

  private void setupClients() throws InterruptedException {
    for (String id : spec.nodeIds()) setupClients.add(new NetClient(clientIds.next(), id, net));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Scheduler.Task> ts = new ArrayList<>();
    for (NetClient c : setupClients) {
      ts.add(clock.spawn("setup-" + c.node(), () -> {
        try {
          workload.setup(spec, c.node(), c);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    joinAll(ts);
    if (failure.get() != null) {
      throw new Crash("client setup failed: " + Errors.describe(failure.get()), failure.get());
    }
  }

  private static void joinAll(List<Scheduler.Task> ts) throws InterruptedException {
    for (Scheduler.Task t : ts) {
      while (!t.join(Long.MAX_VALUE)) {
        // join until done
      }
    }
  }

  // ---------------------------------------------------------------------------------------- phases

  private void mainPhase() throws InterruptedException {
    workers = new Workers(spec, workload, net, clientIds, () -> aborted);
    long start = clock.nanoTime();
    // Jepsen's history clock starts when the generator starts (after setup), like Maelstrom's times.
    history = new HistoryRecorder(clock, start);
    net.setOrigin(start);
    long cutoff = start + (long) (spec.timeLimitSeconds() * 1e9);
    nemesis = nemesis();
    Scheduler.Task schedule = nemesis.enabled() ? clock.spawn("nemesis", () -> nemesis.run(cutoff, () -> aborted)) : null;
    workers.runPhase(workload.generator(spec), history, spec.random("generator"), spec.random("stagger"), cutoff);
    if (schedule != null) joinAll(List.of(schedule));
  }

  /** The faults of {@code --nemesis}, on the shared schedule. */
  private Nemesis nemesis() {
    List<Fault> faults = new ArrayList<>();
    Set<String> kinds = spec.nemesis();
    if (kinds.contains("partition")) faults.add(new PartitionFault(net, spec.nodeIds()));
    if (kinds.contains("kill")) faults.add(NodeFault.kill(control(), spec.nodeIds()));
    if (kinds.contains("pause")) faults.add(NodeFault.pause(control(), spec.nodeIds()));
    if (kinds.contains("duplicate")) faults.add(new DuplicateFault(net, spec.nodeIds()));
    HistoryRecorder h = history;
    return new Nemesis(faults, spec.nemesisIntervalSeconds(), clock, h::record, spec.random("nemesis"));
  }

  /**
   * The process faults on this run's backend: a kill takes the node off the network first, a restart
   * re-inits it like start-up (10 s, else the run crashes) and only then puts it back.
   */
  private NodeControl control() {
    return new NodeControl() {
      @Override
      public void kill(String id) {
        net.down(id, null);
        nodes.kill(id);
      }

      @Override
      public void restart(String id) {
        NetClient c = new NetClient(clientIds.next(), id, net);
        try {
          net.down(id, c.id());
          if (nodes.restart(id)) {
            String failure = init(c);
            if (failure != null) fatal("after its restart: " + failure);
          }
        } catch (RuntimeException e) {
          fatal("restart of " + id + " failed: " + Errors.describe(e));
        } finally {
          c.close();
          net.up(id);
        }
      }

      @Override
      public void pause(String id) {
        net.hold(id);
        nodes.pause(id);
      }

      @Override
      public void resume(String id) {
        nodes.resume(id);
        net.release(id);
      }
    };
  }

  /** A failure that ends the run as a crash, from any task: the phases stop and the run reports it. */
  private void fatal(String message) {
    fatal.compareAndSet(null, message);
    aborted = true;
    Workers w = workers;
    if (w != null) w.abort();
  }

  private void finalPhase(Generator fin) throws InterruptedException {
    phase = "final (quiet)";
    nemesis.healAll();
    // Tests may shorten the quiet period (system property glomers.final-quiet-ms); runs never set it.
    clock.sleepUntil(clock.nanoTime() + Long.getLong("glomers.final-quiet-ms", FINAL_QUIET_MS) * 1_000_000L);
    phase = "final";
    long lim = workload.finalPhaseLimitMillis();
    long cutoff = lim == Long.MAX_VALUE ? Long.MAX_VALUE : clock.nanoTime() + lim * 1_000_000L;
    workers.runPhase(fin, history, spec.random("final-generator"), null, cutoff);
  }

  // ------------------------------------------------------------------------------------------ teardown

  private List<String> teardown() {
    nodes.quiesce();
    workers.closeClients();
    for (NetClient c : setupClients) c.close();
    net.heal();
    List<String> crashes = nodes.stop();
    for (ServiceRunner s : services) s.stop();
    net.closeJournal();
    return crashes;
  }

  private void emergencyKill() {
    nodes.destroy();
    if (net != null) net.closeJournal();
  }

  private Scheduler.Task startWatchdog() {
    // Generous: setup + main phase + in-flight timeouts + final quiet + slack; a running final phase gets
    // up to 5 more minutes below (its length depends on the workload).
    long defaultBudgetMs = (long) (spec.timeLimitSeconds() * 1000) + 2 * INIT_TIMEOUT_MS + 120_000;
    // Tests may shorten the budget (system property glomers.watchdog-ms); runs never set it.
    long budgetMs = Long.getLong("glomers.watchdog-ms", defaultBudgetMs);
    return clock.spawn("harness-watchdog", () -> {
      try {
        clock.sleepUntil(clock.nanoTime() + budgetMs * 1_000_000L);
        long extra = 0;
        // the final phase may legitimately run long (its own limit); give it up to 5 more minutes
        while (phase.startsWith("final") && extra < 300_000) {
          clock.sleepUntil(clock.nanoTime() + 1_000_000_000L);
          extra += 1000;
        }
        if (!phase.equals("analysis")) {
          diag.accept("watchdog: the run exceeded its time budget in phase " + phase + "; aborting");
          aborted = true;
          emergencyKill();
          Workers w = workers;
          if (w != null) w.abort();
        }
      } catch (InterruptedException ignored) {
        // run finished
      }
    });
  }

  // ------------------------------------------------------------------------------------------ progress

  @Override
  public long[] counts() {
    return history.counts();
  }

  @Override
  public double elapsedSeconds() {
    return (clock.nanoTime() - history.origin()) / 1e9;
  }

  @Override
  public String phase() {
    return phase;
  }

  @Override
  public Map<String, Set<String>> partitions() {
    return net.partitions();
  }
}
