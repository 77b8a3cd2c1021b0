package glomers.node;

import java.util.PriorityQueue;

/**
 * A deterministic event loop on virtual time for in-process tests: nothing runs until the test calls
 * {@link #runFor} or {@link #runUntilIdle}, and time jumps straight to the next timer. Single-threaded:
 * the test thread is the loop thread.
 */
public final class SimEventLoop implements EventLoop {
  private final PriorityQueue<TimerEntry> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(new TimerEntry(now, seq++, task));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    TimerEntry e = new TimerEntry(now + Math.max(0, delayMillis), seq++, task);
    queue.add(e);
    return e;
  }

  @Override
  public boolean inLoop() {
    return true;
  }

  /** Runs everything due within the next {@code millis} of virtual time, then sets the clock to its end. */
  public void runFor(long millis) {
    long end = now + millis;
    while (!queue.isEmpty() && queue.peek().at <= end) step();
    now = end;
  }

  /** Runs until nothing is queued (beware periodic timers: use {@link #runFor} with them). */
  public void runUntilIdle() {
    while (!queue.isEmpty()) step();
  }

  private void step() {
    TimerEntry e = queue.poll();
    now = Math.max(now, e.at);
    if (!e.cancelled) e.task.run();
  }
}
