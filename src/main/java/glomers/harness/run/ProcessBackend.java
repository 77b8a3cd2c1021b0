package glomers.harness.run;

import glomers.harness.net.Network;
import glomers.harness.proc.NodeProcess;
import glomers.harness.workload.TestSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Nodes as processes of {@code --bin}, one per node id, spoken to over stdin/stdout (as Maelstrom does). */
public final class ProcessBackend implements NodeBackend {
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();

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
    List<String> cmd = new ArrayList<>();
    cmd.add(canonical);
    cmd.addAll(spec.nodeArgs());
    for (String id : spec.nodeIds()) {
      try {
        nodes.add(new NodeProcess(id, cmd, dir.resolve("node-logs").resolve(id + ".log"),
            spec.logStderr() ? err : null, net, diagnostics));
      } catch (IOException e) {
        throw new IOException("Cannot run program \"" + canonical + "\" (in directory \""
            + System.getProperty("java.io.tmpdir") + "\"): " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void quiesce() {
    for (NodeProcess n : nodes) n.quiesce();
  }

  @Override
  public List<String> stop() {
    // Crash check and SIGKILL for all nodes first, then the waiting: sequential stop-and-wait would let
    // later nodes notice their peers' deaths (or stdin EOF) and exit on their own, which would then look
    // like a crash.
    for (NodeProcess n : nodes) n.kill();
    List<String> crashes = new ArrayList<>();
    for (NodeProcess n : nodes) {
      String crash = n.finishStop();
      if (crash != null) crashes.add(crash);
    }
    return crashes;
  }

  @Override
  public void destroy() {
    for (NodeProcess n : nodes) n.destroy();
  }
}
