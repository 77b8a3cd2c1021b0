package glomers.harness.run;

import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.client.ClientIds;
import glomers.harness.client.NetClient;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.nemesis.Grudges;
import glomers.harness.net.Latency;
import glomers.harness.net.Network;
import glomers.harness.proc.NodeProcess;
import glomers.harness.results.Results;
import glomers.harness.service.LinKv;
import glomers.harness.service.LinTso;
import glomers.harness.service.LwwKv;
import glomers.harness.service.SeqKv;
import glomers.harness.service.ServiceRunner;
import glomers.harness.workload.Errors;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import glomers.harness.workload.Workloads;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One test, start to finish, following Maelstrom's lifecycle (docs/maelstrom.md#test-lifecycle):
 *
 * <ol>
 *   <li>network, services, node processes, {@code init} (parallel, 10 s);
 *   <li>client setup (one setup client per node, kept open), nemesis setup (heal);
 *   <li>main phase: closed-loop workers under a global rate stagger, cut at first op + time limit, merged
 *       with the partition nemesis;
 *   <li>final phase when the workload has one: wait idle → heal → 10 s → final generator (optionally cut);
 *   <li>teardown: close clients, heal, kill nodes ("node crashed" if one had exited), stop services;
 *   <li>analysis: common checkers + workload checker → results.json, exit 0/1/2.
 * </ol>
 *
 * Any failure before analysis is a crash: exit 255, no results (as Maelstrom). Every exit path kills the
 * node processes; a watchdog bounds the whole run.
 */
public final class TestRun {
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
  private final long t0 = System.nanoTime();
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
  private final List<ServiceRunner> services = new ArrayList<>();
  private final List<NetClient> setupClients = new ArrayList<>();
  private final ClientIds clientIds = new ClientIds();
  private volatile HistoryRecorder history = new HistoryRecorder(t0);
  private final Object lock = new Object();
  private Workload workload;
  private Network net;
  private Path dir;
  private Writer journal;
  private volatile boolean aborted;
  private volatile String phase = "setup";
  private volatile long cutoffNanos = Long.MAX_VALUE;
  private List<Worker> workers = List.of();
  /** Worker threads of the current phase, interrupted by the watchdog. */
  private final List<Thread> phaseThreads = new CopyOnWriteArrayList<>();

  public TestRun(TestSpec spec, PrintStream out, PrintStream err) {
    this.spec = spec;
    this.out = out;
    this.err = err;
    this.diag = new Diagnostics(err);
  }

  /** Runs the test; never throws. */
  public HarnessRunner.Result run() {
    Thread hook = new Thread(this::emergencyKill, "harness-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // JVM already shutting down
    }
    Thread watchdog = startWatchdog();
    try {
      return runInner();
    } catch (Crash c) {
      return crashed(c.getMessage(), c.getCause());
    } catch (Throwable t) {
      return crashed(Errors.describe(t), t);
    } finally {
      watchdog.interrupt();
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
      glomers.harness.report.Report.afterRun(dir, spec.options(), err);
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

  private HarnessRunner.Result runInner() throws Exception {
    warmUpJson();
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
    journal = spec.journal() ? Files.newBufferedWriter(dir.resolve("net-journal.jsonl"), StandardCharsets.UTF_8) : null;
    net = new Network(new Latency(spec.latencyMs(), spec.latencyDist(), spec.random("latency")), t0, journal);

    // Services exist before any node starts (Maelstrom starts them in the first node's setup).
    for (var s : List.of(new LinKv(), new SeqKv(spec.random("seq-kv")), new LwwKv(spec.random("lww-kv")), new LinTso())) {
      ServiceRunner r = new ServiceRunner(s, net, diag);
      services.add(r);
      r.start();
    }
    timing("services");
    startNodes();
    timing("nodes started");
    Files.writeString(dir.resolve("test.json"), glomers.protocol.Json.write(spec.options()) + "\n");
    initNodes();
    timing("init done");
    setupClients();
    timing("setup done");
    net.heal();

    phase = "main";
    Progress progress = new Progress();
    progress.start();
    try {
      mainPhase();
      Generator fin = workload.finalGenerator(spec);
      if (fin != null && !aborted) finalPhase(fin);
    } finally {
      progress.stop();
    }
    if (aborted) throw new Crash("aborted by the watchdog: the run exceeded its time budget (see diagnostics)");

    timing("main/final phases done");
    phase = "teardown";
    List<String> crashes = teardown();
    if (!crashes.isEmpty()) throw new Crash(String.join("\n\n", crashes));

    timing("teardown done");
    phase = "analysis";
    History h = history.history();
    Map<String, Object> results = Analysis.analyse(spec, workload, h, net.stats(), diag.all());
    results.put("seed", spec.seed()); // not a Maelstrom key: the harness's reproducibility handle
    Validity v = Checker.validity(results);
    Results.write(dir, results, h, diag.all());
    Results.linkLatest(spec.storeRoot(), dir);
    glomers.harness.report.Report.afterRun(dir, spec.options(), err);
    timing("analysis and results written");
    Results.printSummary(out, results, dir, spec, diag.all());
    return new HarnessRunner.Result(v.exitCode(), results, dir, null);
  }

  /** With GLOMERS_HARNESS_TIMING set: elapsed time of each lifecycle step on stderr (and in the JVM's uptime). */
  private void timing(String step) {
    if (TIMING) {
      err.printf("[timing] %-32s %7.3f s since run start, %7.3f s JVM uptime%n", step, (System.nanoTime() - t0) / 1e9,
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }
  }

  private static final boolean TIMING = System.getenv("GLOMERS_HARNESS_TIMING") != null;

  // ---------------------------------------------------------------------------------------------- nodes

  private void startNodes() {
    Path bin = Path.of(spec.bin());
    String canonical;
    try {
      canonical = bin.toFile().getCanonicalPath();
    } catch (IOException e) {
      canonical = bin.toAbsolutePath().toString();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(canonical);
    cmd.addAll(spec.nodeArgs());
    for (String id : spec.nodeIds()) {
      try {
        nodes.add(new NodeProcess(id, cmd, dir.resolve("node-logs").resolve(id + ".log"),
            spec.logStderr() ? err : null, net, diag));
      } catch (IOException e) {
        throw new Crash("Cannot run program \"" + canonical + "\" (in directory \""
            + System.getProperty("java.io.tmpdir") + "\"): " + e.getMessage(), e);
      }
    }
  }

  private void initNodes() throws InterruptedException {
    List<NetClient> initClients = new ArrayList<>();
    for (String id : spec.nodeIds()) initClients.add(new NetClient(clientIds.next(), id, net));
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> ts = new ArrayList<>();
    for (NetClient c : initClients) {
      Thread t = new Thread(() -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "init");
        body.put("node_id", c.node());
        body.put("node_ids", spec.nodeIds());
        try {
          Map<String, Object> reply = c.call(body, INIT_TIMEOUT_MS, null);
          if (!"init_ok".equals(reply.get("type"))) {
            failure.compareAndSet(null, "Expected node " + c.node() + " to respond to an init message with"
                + " type init_ok, but it sent " + glomers.protocol.Json.write(reply));
          }
        } catch (RpcTimeoutException e) {
          String m = "Expected node " + c.node() + " to respond to an init message, but node did not respond"
              + " within " + INIT_TIMEOUT_MS + " ms";
          diag.accept(m + " — a node must print {\"src\":…,\"dest\":…,\"body\":{\"type\":\"init_ok\","
              + "\"in_reply_to\":…}} and flush stdout (docs/maelstrom.md#bodies-rpc-and-init)");
          failure.compareAndSet(null, m);
        } catch (RpcErrorException e) {
          failure.compareAndSet(null, "Node " + c.node() + " answered init with an error: " + e.getMessage());
        } catch (InterruptedException e) {
          failure.compareAndSet(null, "interrupted during init");
        } catch (Exception e) {
          failure.compareAndSet(null, "init of " + c.node() + " failed: " + Errors.describe(e));
        } finally {
          c.close();
        }
      }, "init-" + c.node());
      t.setDaemon(true);
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) t.join();
    if (failure.get() != null) throw new Crash(failure.get());
  }

  private void setupClients() throws InterruptedException {
    for (String id : spec.nodeIds()) setupClients.add(new NetClient(clientIds.next(), id, net));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> ts = new ArrayList<>();
    for (NetClient c : setupClients) {
      Thread t = new Thread(() -> {
        try {
          workload.setup(spec, c.node(), c);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "setup-" + c.node());
      t.setDaemon(true);
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) t.join();
    if (failure.get() != null) {
      throw new Crash("client setup failed: " + Errors.describe(failure.get()), failure.get());
    }
  }

  // ---------------------------------------------------------------------------------------- scheduling

  /** A closed-loop worker thread bound to {@code nodes[thread mod n]}. */
  private final class Worker {
    final int thread;
    final String node;
    long process;
    NetClient client;
    WorkloadClient wclient;
    boolean replaceClient;

    Worker(int thread) {
      this.thread = thread;
      this.process = thread;
      this.node = spec.nodeIds().get(thread % spec.nodeCount());
      this.client = new NetClient(clientIds.next(), node, net);
      this.wclient = workload.newClient(spec);
    }

    GenContext ctx(SplittableRandom r) {
      long p = process;
      return new GenContext() {
        @Override public int thread() { return thread; }
        @Override public long process() { return p; }
        @Override public String node() { return node; }
        @Override public SplittableRandom random() { return r; }
        @Override public long elapsedNanos() { return System.nanoTime() - history.origin(); }
        @Override public TestSpec test() { return spec; }
      };
    }
  }

  /** State of one phase shared by its workers (guarded by {@link #lock}). */
  private static final class PhaseState {
    final Generator gen;
    final boolean stagger;
    final long cutoff; // absolute nanoTime: no op is scheduled after it
    long nextSlot = Long.MIN_VALUE;
    boolean over;

    PhaseState(Generator gen, boolean stagger, long cutoff) {
      this.gen = gen;
      this.stagger = stagger;
      this.cutoff = cutoff;
    }
  }

  private void mainPhase() throws InterruptedException {
    List<Worker> ws = new ArrayList<>();
    for (int i = 0; i < spec.concurrency(); i++) ws.add(new Worker(i));
    workers = ws;
    long start = System.nanoTime();
    // Jepsen's history clock starts when the generator starts (after setup), like Maelstrom's times.
    history = new HistoryRecorder(start);
    net.setOrigin(start);
    long limit = (long) (spec.timeLimitSeconds() * 1e9);
    cutoffNanos = start + limit;
    PhaseState ps = new PhaseState(workload.generator(spec), true, cutoffNanos);
    Thread nemesis = null;
    if (spec.partitions()) {
      nemesis = new Thread(() -> nemesisLoop(cutoffNanos), "nemesis");
      nemesis.setDaemon(true);
      nemesis.start();
    }
    runWorkers(ps, spec.random("generator"), spec.random("stagger"));
    if (nemesis != null) nemesis.join();
  }

  private void finalPhase(Generator fin) throws InterruptedException {
    phase = "final (quiet)";
    if (spec.partitions()) nemesisOp("stop-partition", null);
    // Tests may shorten the quiet period (system property glomers.final-quiet-ms); runs never set it.
    Thread.sleep(Long.getLong("glomers.final-quiet-ms", FINAL_QUIET_MS));
    phase = "final";
    long lim = workload.finalPhaseLimitMillis();
    long cutoff = lim == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + lim * 1_000_000L;
    cutoffNanos = cutoff;
    runWorkers(new PhaseState(fin, false, cutoff), spec.random("final-generator"), null);
  }

  private void runWorkers(PhaseState ps, SplittableRandom genRandom, SplittableRandom staggerRandom)
      throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    for (Worker w : workers) {
      Thread t = new Thread(() -> workerLoop(w, ps, genRandom, staggerRandom), "worker-" + w.thread);
      t.setDaemon(true);
      ts.add(t);
    }
    phaseThreads.addAll(ts);
    for (Thread t : ts) t.start();
    for (Thread t : ts) {
      // After an abort, give stuck workers (e.g. a workload client swallowing interrupts) 2 s, then move on.
      while (t.isAlive()) {
        t.join(aborted ? 2000 : 100);
        if (aborted && t.isAlive()) break;
      }
    }
    phaseThreads.removeAll(ts);
  }

  private void workerLoop(Worker w, PhaseState ps, SplittableRandom genRandom, SplittableRandom staggerRandom) {
    try {
      while (!aborted) {
        Op op;
        long at;
        synchronized (lock) {
          if (ps.over) return;
          long now = System.nanoTime();
          if (now > ps.cutoff) {
            ps.over = true;
            lock.notifyAll();
            return;
          }
          if (ps.stagger && spec.rate() <= 0) {
            // --rate 0: the client generator only sleeps until the time limit.
            lock.wait(Math.max(1, (ps.cutoff - now) / 1_000_000L + 1));
            continue;
          }
          op = ps.gen.next(w.ctx(genRandom));
          if (op == null) return;
          if (op == Generator.PENDING) {
            lock.wait(10);
            continue;
          }
          at = now;
          if (ps.stagger) {
            if (ps.nextSlot != Long.MIN_VALUE && ps.nextSlot > at) at = ps.nextSlot;
            if (at > ps.cutoff) {
              ps.over = true;
              lock.notifyAll();
              return;
            }
            ps.nextSlot = at + (long) (staggerRandom.nextDouble() * 2e9 / spec.rate());
          }
        }
        sleepUntil(at);
        if (aborted) return;
        if (w.replaceClient) {
          w.client.close();
          w.client = new NetClient(clientIds.next(), w.node, net);
          w.wclient = workload.newClient(spec);
          w.replaceClient = false;
        }
        Op inv = history.record(new Op(-1, 0, OpType.INVOKE, w.process, op.f(), op.value(), null, null,
            op.isFinal(), op.extra()));
        Op done;
        try {
          done = w.wclient.invoke(inv, w.client);
          if (done == null || done.type() == OpType.INVOKE) {
            done = Errors.crashed(inv, new IllegalStateException("workload client returned " + done));
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          done = Errors.crashed(inv, e);
        }
        Op rec = history.record(new Op(-1, 0, done.type(), w.process, inv.f(), done.value(), done.error(),
            done.exception(), done.isFinal() || inv.isFinal(), done.extra()));
        synchronized (lock) {
          ps.gen.update(rec);
          lock.notifyAll();
        }
        if (rec.isInfo()) {
          w.process += spec.concurrency();
          if (!workload.reusableClient()) w.replaceClient = true;
        }
      }
    } catch (InterruptedException e) {
      // aborted
    }
  }

  private static void sleepUntil(long at) throws InterruptedException {
    while (true) {
      long left = at - System.nanoTime();
      if (left <= 0) return;
      java.util.concurrent.locks.LockSupport.parkNanos(left);
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  // ------------------------------------------------------------------------------------------- nemesis

  private void nemesisLoop(long cutoff) {
    SplittableRandom r = spec.random("nemesis");
    boolean start = true;
    long at = System.nanoTime();
    long interval = (long) (spec.nemesisIntervalSeconds() * 1e9);
    try {
      while (!aborted) {
        sleepUntil(at);
        if (aborted || System.nanoTime() > cutoff) return;
        if (start) {
          String s = Grudges.SPECS.get(r.nextInt(Grudges.SPECS.size()));
          nemesisOp("start-partition", Map.entry(s, Grudges.forSpec(s, spec.nodeIds(), r)));
        } else {
          nemesisOp("stop-partition", null);
        }
        start = !start;
        at += (long) (r.nextDouble() * 2 * interval);
        if (at > cutoff) return;
      }
    } catch (InterruptedException e) {
      // aborted
    }
  }

  /** Two {@code :info} history entries per nemesis op, as Jepsen records them. */
  private void nemesisOp(String f, Map.Entry<String, Map<String, Set<String>>> start) {
    if (start != null) {
      history.record(new Op(-1, 0, OpType.INFO, Op.NEMESIS, f, start.getKey(), null, null, false, null));
      net.drop(start.getValue());
      history.record(new Op(-1, 0, OpType.INFO, Op.NEMESIS, f,
          Arrays.asList("isolated", Grudges.toJson(start.getValue())), null, null, false, null));
    } else {
      history.record(new Op(-1, 0, OpType.INFO, Op.NEMESIS, f, null, null, null, false, null));
      net.heal();
      history.record(new Op(-1, 0, OpType.INFO, Op.NEMESIS, f, "network-healed", null, null, false, null));
    }
  }

  // ------------------------------------------------------------------------------------------ teardown

  private List<String> teardown() {
    for (NodeProcess n : nodes) n.quiesce();
    for (Worker w : workers) w.client.close();
    for (NetClient c : setupClients) c.close();
    net.heal();
    List<String> crashes = new ArrayList<>();
    // Crash check and SIGKILL for all nodes first, then the waiting: sequential stop-and-wait would let
    // later nodes notice their peers' deaths (or stdin EOF) and exit on their own, which would then look
    // like a crash.
    for (NodeProcess n : nodes) n.kill();
    for (NodeProcess n : nodes) {
      String crash = n.finishStop();
      if (crash != null) crashes.add(crash);
    }
    for (ServiceRunner s : services) s.stop();
    net.closeJournal();
    return crashes;
  }

  private void emergencyKill() {
    for (NodeProcess n : nodes) n.destroy();
    if (net != null) net.closeJournal();
  }

  private Thread startWatchdog() {
    // Generous: setup + main phase + in-flight timeouts + final quiet + slack; a running final phase gets
    // up to 5 more minutes below (its length depends on the workload).
    long defaultBudgetMs = (long) (spec.timeLimitSeconds() * 1000) + 2 * INIT_TIMEOUT_MS + 120_000;
    // Tests may shorten the budget (system property glomers.watchdog-ms); runs never set it.
    long budgetMs = Long.getLong("glomers.watchdog-ms", defaultBudgetMs);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(budgetMs);
        long extra = 0;
        // the final phase may legitimately run long (its own limit); give it up to 5 more minutes
        while (phase.startsWith("final") && extra < 300_000) {
          Thread.sleep(1000);
          extra += 1000;
        }
        if (!phase.equals("analysis")) {
          diag.accept("watchdog: the run exceeded its time budget in phase " + phase + "; aborting");
          aborted = true;
          emergencyKill();
          for (Thread w : phaseThreads) w.interrupt();
          synchronized (lock) {
            lock.notifyAll();
          }
        }
      } catch (InterruptedException ignored) {
        // run finished
      }
    }, "harness-watchdog");
    t.setDaemon(true);
    t.start();
    return t;
  }

  // ------------------------------------------------------------------------------------------ progress

  /** One-line progress display on stderr (only on an interactive console). */
  private final class Progress {
    private final Thread thread = new Thread(this::loop, "harness-progress");
    private final boolean enabled = System.console() != null && err == System.err;

    void start() {
      if (!enabled) return;
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      if (!enabled) return;
      thread.interrupt();
      err.print("\r\033[K");
      err.flush();
    }

    private void loop() {
      try {
        while (true) {
          Thread.sleep(500);
          long[] c = history.counts();
          double el = (System.nanoTime() - history.origin()) / 1e9;
          Map<String, Set<String>> p = net.partitions();
          String part = p.values().stream().allMatch(Set::isEmpty) ? "none" : Grudges.toJson(p).toString();
          err.print(String.format("\r\033[K[%6.1f s / %.0f s %s] ops %d: ok %d fail %d info %d | partition %s",
              el, spec.timeLimitSeconds(), phase, c[0], c[1], c[2], c[3], part));
          err.flush();
        }
      } catch (InterruptedException ignored) {
        // done
      }
    }
  }
}
