package glomers.harness.nemesis;

/**
 * What the process faults do to one node, on whatever backend runs it: a node process or an in-process
 * handler. The kill and pause kinds of {@link NodeFault} are written once against this interface.
 */
public interface NodeControl {
  /**
   * Kills the node at once (SIGKILL; in-process: its handler is dropped, its storage keeps only what was
   * synced). Messages to it are dropped until it is restarted.
   */
  void kill(String id);

  /**
   * Starts the node again with the same id and working directory and sends it {@code init} with the same
   * ids; a node that does not answer within the init timeout ends the run as a crash.
   */
  void restart(String id);

  /** Stops the node without killing it (SIGSTOP): messages to it queue up. */
  void pause(String id);

  /** Lets a paused node run again (SIGCONT); it then receives what queued up. */
  void resume(String id);
}
