package glomers.node;

/**
 * One workload's algorithm, e.g. broadcast or the Raft key-value store. The runtime creates exactly one
 * instance per node process and calls {@link #install} once, on the event-loop thread, before any
 * message is handled; the handler registers its message handlers with {@link Node#on} there.
 *
 * <p>Implementations keep all their state in fields touched only from the loop thread, so they need no
 * locks.
 */
public interface WorkloadHandler {
  /** Registers handlers and (optionally) an {@link Node#onInit} callback. */
  void install(Node node);
}
