package glomers.node;

import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The production event loop: one daemon thread that runs submitted tasks in order and timers at their
 * deadlines. {@link #execute} may be called from any thread (the stdin reader uses it); {@link #schedule}
 * only from the loop thread, so the timer queue needs no lock.
 */
public final class RealEventLoop implements EventLoop {
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>();
  private final LongSupplier nanoClock;
  private final Thread thread;
  private long timerSeq;

  /** A loop on the system's monotonic clock. */
  public RealEventLoop() {
    this(System::nanoTime);
  }

  /** A loop reading time from {@code nanoClock} (monotonic nanoseconds). */
  public RealEventLoop(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.thread = new Thread(this::run, "event-loop");
    this.thread.setDaemon(true);
  }

  public RealEventLoop start() {
    thread.start();
    return this;
  }

  @Override
  public long nowMillis() {
    return nanoClock.getAsLong() / 1_000_000L;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    if (!inLoop()) throw new IllegalStateException("schedule() must be called on the event-loop thread");
    TimerEntry t = new TimerEntry(nanoClock.getAsLong() + Math.max(0, delayMillis) * 1_000_000L, timerSeq++, task);
    timers.add(t);
    return t;
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  private void run() {
    while (true) {
      try {
        long waitNanos = runDueTimers();
        Runnable task = waitNanos < 0 ? tasks.take() : tasks.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (task != null) runSafely(task);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Runs every due timer; returns nanoseconds until the next one, or -1 if none. */
  private long runDueTimers() {
    while (!timers.isEmpty()) {
      TimerEntry head = timers.peek();
      if (head.cancelled) {
        timers.poll();
        continue;
      }
      long wait = head.at - nanoClock.getAsLong();
      if (wait > 0) return wait;
      timers.poll();
      runSafely(head.task);
    }
    return -1;
  }

  private static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      System.err.println("event loop: task failed: " + t);
      t.printStackTrace(System.err);
    }
  }
}
