package glomers.harness.run;

import glomers.harness.net.Network;
import glomers.harness.proc.NodeProcess;
import glomers.harness.workload.TestSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Nodes as processes of {@code --bin}, one per node id, spoken to over stdin/stdout (as Maelstrom does).
 * With the kill nemesis each node runs in its own working directory (named by {@code GLOMERS_STATE_DIR}
 * too), which survives its restarts and is removed at teardown; without it every node runs in
 * {@code java.io.tmpdir}, as in Maelstrom.
 */
public final class ProcessBackend implements NodeBackend {
  /** The current process of each node id, in spec order. */
  private final Map<String, NodeProcess> nodes = new ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();
  private List<String> command;
  private Path logs;
  private Path workRoot;
  private PrintStream console;
  private Network net;
  private Consumer<String> diagnostics;
  private boolean destroyed;

  @Override
  public void start(TestSpec spec, Path dir, Network net, Consumer<String> diagnostics, PrintStream err)
      throws IOException {
    Path bin = Path.of(spec.bin());
    String canonical;
    try {
      canonical = bin.toFile().getCanonicalPath();
    } catch (IOException e) {
      canonical = bin.toAbsolutePath().toString();
    }
    command = new ArrayList<>();
    command.add(canonical);
    command.addAll(spec.nodeArgs());
    this.logs = dir.resolve("node-logs");
    this.console = spec.logStderr() ? err : null;
    this.net = net;
    this.diagnostics = diagnostics;
    if (spec.nemesis().contains("kill")) workRoot = Files.createTempDirectory("glomers-nodes-");
    for (String id : spec.nodeIds()) {
      order.add(id);
      try {
        spawn(id);
      } catch (IOException e) {
        throw new IOException("Cannot run program \"" + canonical + "\" (in directory \""
            + System.getProperty("java.io.tmpdir") + "\"): " + e.getMessage(), e);
      }
    }
  }

  private synchronized void spawn(String id) throws IOException {
    if (destroyed) return;
    Path work = workRoot == null ? null : Files.createDirectories(workRoot.resolve(id));
    nodes.put(id, new NodeProcess(id, command, work, logs.resolve(id + ".log"), console, net, diagnostics));
  }

  /** The working directory of node {@code id}, or null when nodes run in {@code java.io.tmpdir}. */
  public Path workDir(String id) {
    return workRoot == null ? null : workRoot.resolve(id);
  }

  @Override
  public void kill(String id) {
    NodeProcess n = nodes.get(id);
    if (n.alive()) n.crash(); // a process already gone on its own stays as it is, for teardown to report
  }

  @Override
  public boolean restart(String id) {
    if (!nodes.get(id).killed()) return false;
    try {
      spawn(id);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart node " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void pause(String id) {
    nodes.get(id).pause();
  }

  @Override
  public void resume(String id) {
    nodes.get(id).resume();
  }

  @Override
  public void quiesce() {
    for (String id : order) nodes.get(id).quiesce();
  }

  @Override
  public List<String> stop() {
    // Crash check and SIGKILL for all nodes first, then the waiting: sequential stop-and-wait would let
    // later nodes notice their peers' deaths (or stdin EOF) and exit on their own, which would then look
    // like a crash.
    for (String id : order) nodes.get(id).kill();
    List<String> crashes = new ArrayList<>();
    for (String id : order) {
      String crash = nodes.get(id).finishStop();
      if (crash != null) crashes.add(crash);
    }
    removeWorkDirs();
    return crashes;
  }

  @Override
  public void destroy() {
    synchronized (this) {
      destroyed = true;
    }
    for (NodeProcess n : nodes.values()) n.destroy();
    for (NodeProcess n : nodes.values()) n.awaitExit(2000);
    removeWorkDirs();
  }

  private synchronized void removeWorkDirs() {
    if (workRoot == null) return;
    try (Stream<Path> s = Files.walk(workRoot)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // already gone, or the temp cleaner got there first
    }
  }
}
