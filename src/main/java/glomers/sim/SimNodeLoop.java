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
  /** Killed: nothing of this incarnation runs again. */
  private boolean dead;
  /** Paused: what comes due waits in {@link #held}, in order, until {@link #resume}. */
  private boolean paused;
  private final java.util.List<Runnable> held = new java.util.ArrayList<>();

  SimNodeLoop(Scheduler clock) {
    this.clock = clock;
  }

  /** The kill nemesis: every pending task and timer of this loop is dropped. */
  void kill() {
    dead = true;
    held.clear();
  }

  boolean dead() {
    return dead;
  }

  /** The pause nemesis: tasks, timers and deliveries that come due are held. */
  void pause() {
    paused = true;
  }

  /** Runs what was held, in the order it came due, then runs normally again. */
  void resume() {
    paused = false;
    for (Runnable r : held) clock.at(clock.nanoTime(), () -> run(r));
    held.clear();
  }

  private void run(Runnable task) {
    if (dead) return;
    if (paused) {
      held.add(task);
    } else {
      task.run();
    }
  }

  @Override
  public long nowMillis() {
    return clock.nanoTime() / 1_000_000L;
  }

  @Override
  public void execute(Runnable task) {
    clock.at(clock.nanoTime(), () -> run(task));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    boolean[] cancelled = {false}; // a timer cancelled while held must not run on resume
    Runnable once = () -> {
      if (!cancelled[0]) task.run();
    };
    Scheduler.Cancel c = clock.at(clock.nanoTime() + Math.max(0, delayMillis) * 1_000_000L, () -> run(once));
    return () -> {
      cancelled[0] = true;
      c.cancel();
    };
  }

  @Override
  public boolean inLoop() {
    return true;
  }
}
