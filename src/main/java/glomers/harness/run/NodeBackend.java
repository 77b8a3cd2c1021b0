package glomers.harness.run;

import glomers.harness.net.Network;
import glomers.harness.workload.TestSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a test reaches its nodes: the one thing, besides how time passes, in which a run on node processes
 * ({@link ProcessBackend}) and a run on in-process handlers differ. A backend registers every node id of
 * the spec on the network, carries the network's messages to the node and the node's output lines back
 * through {@link glomers.harness.net.WireLine}, and reports the nodes that died on their own.
 */
public interface NodeBackend {
  /**
   * Starts every node of {@code spec}, before {@code init}.
   *
   * @param dir the run's store directory ({@code node-logs/} goes there)
   * @throws IOException a node cannot be started; the message is the crash text
   */
  void start(TestSpec spec, Path dir, Network net, Consumer<String> diagnostics, PrintStream err) throws IOException;

  /**
   * The kill nemesis: kills node {@code id} now (SIGKILL; in-process, its handler is dropped and its storage
   * keeps what was synced). The network already drops its messages.
   */
  void kill(String id);

  /**
   * Starts a killed node again, same id and working directory; the caller then sends {@code init}. Returns
   * false when the node had died on its own before it was killed: it stays down, and teardown reports its
   * crash as for any node the harness did not kill.
   */
  boolean restart(String id);

  /** The pause nemesis: the node stops running (SIGSTOP); its messages wait in the network. */
  void pause(String id);

  /** Lets a paused node run again (SIGCONT). */
  void resume(String id);

  /** Teardown step 0: stop accepting the nodes' output (replies racing the closing of the clients). */
  void quiesce();

  /** Teardown: stops every node; returns Maelstrom's "node crashed" report for each that had died. */
  List<String> stop();

  /** Emergency path (watchdog, shutdown hook): stop everything now, no bookkeeping. */
  void destroy();
}
