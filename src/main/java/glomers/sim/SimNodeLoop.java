package glomers.sim;

import glomers.harness.time.Scheduler;
import glomers.node.Cancellable;
import glomers.node.EventLoop;

/**
 * A node's event loop on the simulation's virtual clock: every task and timer of every node is an event
 * of the one queue, so handler code runs on the event-loop thread, one event at a time, in an order fixed
 * by (time, scheduling order). The node sees whole milliseconds, as from a real clock.
 */
final class SimNodeLoop implements EventLoop {
  private final Scheduler clock;

  SimNodeLoop(Scheduler clock) {
    this.clock = clock;
  }

  @Override
  public long nowMillis() {
    return clock.nanoTime() / 1_000_000L;
  }

  @Override
  public void execute(Runnable task) {
    clock.at(clock.nanoTime(), task);
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    Scheduler.Cancel c = clock.at(clock.nanoTime() + Math.max(0, delayMillis) * 1_000_000L, task);
    return c::cancel;
  }

  @Override
  public boolean inLoop() {
    return true;
  }
}
