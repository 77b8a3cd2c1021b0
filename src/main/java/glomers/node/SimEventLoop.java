package glomers.node;

import java.util.PriorityQueue;

/**
 * A deterministic event loop on virtual time for in-process tests: nothing runs until the test calls
 * {@link #runFor} or {@link #runUntilIdle}, and time jumps straight to the next timer. Single-threaded:
 * the test thread is the loop thread.
 */
public final class SimEventLoop implements EventLoop {
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  private static final class Entry implements Comparable<Entry>, Cancellable {
    final long at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Entry(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(new Entry(now, seq++, task));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    Entry e = new Entry(now + Math.max(0, delayMillis), seq++, task);
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
    Entry e = queue.poll();
    now = Math.max(now, e.at);
    if (!e.cancelled) e.task.run();
  }
}
