package glomers.sim;

import glomers.harness.net.Network;
import glomers.harness.net.WireLine;
import glomers.harness.run.NodeBackend;
import glomers.harness.time.Scheduler;
import glomers.harness.workload.TestSpec;
import glomers.node.NodeRuntime;
import glomers.node.WorkloadHandler;
import glomers.node.storage.MemoryStorage;
import glomers.node.storage.Storage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Our handlers as the nodes of a harness run, in-process on the run's virtual clock. Each node is a
 * {@link NodeRuntime} on a {@link SimNodeLoop}: the network pushes each message to it as the wire line a
 * process would read on stdin, and each line it writes goes through the same envelope check and network
 * as a process's stdout ({@link WireLine}), silencing the node on the first bad line, as Maelstrom does.
 * Node logs go to {@code node-logs/<id>.log}. The process faults act on a node's loop: a kill drops it
 * with everything pending (the storage keeps what was synced, {@link MemoryStorage#crash}) and a restart
 * boots a new handler from that; a pause holds what comes due until it resumes.
 */
final class SimBackend implements NodeBackend {
  private final Supplier<WorkloadHandler> handlers;
  private final Map<String, String> settings;
  private final Scheduler clock;
  private final List<HostedNode> nodes = new ArrayList<>();
  /** Wraps each incarnation's storage (a test's faulty disk); identity in a run of {@code sim}. */
  private UnaryOperator<Storage> storageWrap = UnaryOperator.identity();
  /** Sees each line a node wrote, once the network took it (a test fixture's probe). */
  private BiConsumer<String, String> tap = (id, line) -> {};

  SimBackend(Supplier<WorkloadHandler> handlers, Map<String, String> settings, Scheduler clock) {
    this.handlers = handlers;
    this.settings = settings;
    this.clock = clock;
  }

  /** Every node's storage from its next boot on is {@code wrap} around its memory storage. */
  SimBackend disk(UnaryOperator<Storage> wrap) {
    this.storageWrap = wrap;
    return this;
  }

  /** {@code tap} sees each accepted line a node writes, with the node's id. */
  SimBackend tap(BiConsumer<String, String> tap) {
    this.tap = tap;
    return this;
  }

  /** The handler of node {@code id}'s current incarnation. */
  WorkloadHandler handler(String id) {
    return node(id).handler;
  }

  private final class HostedNode {
    final String id;
    final TestSpec spec;
    final Network net;
    final Consumer<String> diagnostics;
    final PrintStream log;
    SimNodeLoop loop;
    NodeRuntime runtime;
    WorkloadHandler handler;
    /** This incarnation's storage, once the handler asked for it. */
    MemoryStorage storage;
    /** What a restarted incarnation recovers: what the killed one had synced. */
    MemoryStorage.Disk disk = MemoryStorage.Disk.empty();
    int incarnation;
    boolean silenced;
    boolean quiet;

    HostedNode(String id, TestSpec spec, Path logFile, Network net, Consumer<String> diagnostics) throws IOException {
      this.id = id;
      this.spec = spec;
      this.net = net;
      this.diagnostics = diagnostics;
      if (logFile == null) {
        this.log = new PrintStream(OutputStream.nullOutputStream());
      } else {
        Files.createDirectories(logFile.getParent());
        this.log = new PrintStream(new BufferedOutputStream(Files.newOutputStream(logFile), 1 << 14), false,
            StandardCharsets.UTF_8);
      }
      boot();
    }

    /** A fresh handler on a fresh loop, recovering from {@link #disk}. */
    void boot() throws IOException {
      SimNodeLoop l = new SimNodeLoop(clock);
      MemoryStorage.Disk recovered = disk;
      String stream = incarnation == 0 ? "node " + id : "node " + id + " incarnation " + incarnation;
      // a killed incarnation may be mid-handler: what it still writes goes nowhere
      NodeRuntime r = new NodeRuntime(l, line -> {
            if (!l.dead()) output(line);
          }, new java.util.SplittableRandom(spec.random(stream).nextLong()), settings, log)
          .storage(nodeId -> storageWrap.apply(storage = new MemoryStorage(l, recovered)));
      loop = l;
      runtime = r;
      storage = null;
      WorkloadHandler h = handlers.get();
      handler = h;
      try {
        h.install(r);
      } catch (RuntimeException e) {
        throw new IOException("node " + id + ": workload handler failed to install: " + e.getMessage(), e);
      }
      net.register(id, e -> r.deliver(Network.line(e)));
    }

    void kill() {
      loop.kill();
      if (storage != null) disk = storage.crash();
      incarnation++;
    }

    private void output(String line) {
      if (silenced || quiet) return;
      String problem = WireLine.accept(line, net);
      if (problem != null) {
        silenced = true;
        diagnostics.accept(WireLine.silencedDiagnostic(id, line, problem));
      } else {
        tap.accept(id, line);
      }
    }

    void stop() {
      net.unregister(id);
      log.close();
    }
  }

  private HostedNode node(String id) {
    for (HostedNode n : nodes) if (n.id.equals(id)) return n;
    throw new IllegalArgumentException("no node " + id);
  }

  @Override
  public void kill(String id) {
    node(id).kill();
  }

  @Override
  public boolean restart(String id) {
    try {
      node(id).boot();
      return true;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e.getMessage(), e);
    }
  }

  @Override
  public void pause(String id) {
    node(id).loop.pause();
  }

  @Override
  public void resume(String id) {
    node(id).loop.resume();
  }

  @Override
  public void start(TestSpec spec, Path dir, Network net, Consumer<String> diagnostics, PrintStream err)
      throws IOException {
    for (String id : spec.nodeIds()) {
      Path log = dir == null ? null : dir.resolve("node-logs").resolve(id + ".log");
      nodes.add(new HostedNode(id, spec, log, net, diagnostics));
    }
  }

  @Override
  public void quiesce() {
    for (HostedNode n : nodes) n.quiet = true;
  }

  @Override
  public List<String> stop() {
    for (HostedNode n : nodes) n.stop();
    nodes.clear();
    return List.of();
  }

  @Override
  public void destroy() {
    for (HostedNode n : nodes) n.log.close();
  }
}
