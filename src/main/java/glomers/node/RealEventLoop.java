package glomers.node;

import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The production event loop: one daemon thread that runs submitted tasks in order and timers at their
 * deadlines. {@link #execute} may be called from any thread (the stdin reader uses it); {@link #schedule}
 * only from the loop thread, so the timer queue needs no lock.
 *
 * <p>The loop keeps a histogram of its own lateness (a task: from {@link #execute} until it starts; a
 * timer: from its deadline until it starts), which shows stalls of the process itself (class loading, JIT,
 * collector, thread wake-ups) apart from the handler's algorithm. {@link #latencyReport} formats it; the
 * loop also writes it to stderr at most every {@value #REPORT_EVERY_SECONDS} s while it is busy, so a node
 * that is killed (as harnesses stop nodes) still leaves it in its log.
 *
 * <p>An idle action ({@link #whenIdle}) runs on the loop thread each time the loop has no task left and
 * is about to wait: the node's stdout is flushed there, so a burst of replies costs one write and no
 * thread hand-off.
 */
public final class RealEventLoop implements EventLoop {
  private static final int REPORT_EVERY_SECONDS = 10;
  private record Queued(Runnable task, long enqueuedNanos) {}

  private final LinkedBlockingQueue<Queued> tasks = new LinkedBlockingQueue<>();
  private final Lateness taskLate = new Lateness(), timerLate = new Lateness();
  private Runnable idle = () -> {};
  private long samplesAtLastReport, nextReportNanos;
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

  /** Ends the loop thread; queued tasks and timers are dropped (a throwaway loop, or a process exiting). */
  public void stop() {
    thread.interrupt();
  }

  /** Sets the action run on the loop thread whenever it runs out of tasks (call before {@link #start}). */
  public RealEventLoop whenIdle(Runnable action) {
    this.idle = action;
    return this;
  }

  @Override
  public long nowMillis() {
    return nanoClock.getAsLong() / 1_000_000L;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(new Queued(task, nanoClock.getAsLong()));
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
    nextReportNanos = nanoClock.getAsLong() + REPORT_EVERY_SECONDS * 1_000_000_000L;
    while (true) {
      try {
        long waitNanos = runDueTimers();
        Queued q = tasks.poll();
        if (q == null) {
          runSafely(idle);
          q = waitNanos < 0 ? tasks.take() : tasks.poll(waitNanos, TimeUnit.NANOSECONDS);
        }
        if (q != null) {
          taskLate.record(nanoClock.getAsLong() - q.enqueuedNanos);
          runSafely(q.task);
        }
        reportNowAndThen();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void reportNowAndThen() {
    long now = nanoClock.getAsLong();
    if (now < nextReportNanos) return;
    nextReportNanos = now + REPORT_EVERY_SECONDS * 1_000_000_000L;
    long samples = taskLate.count() + timerLate.count();
    if (samples == samplesAtLastReport) return;
    samplesAtLastReport = samples;
    System.err.println(latencyReport());
  }

  /**
   * One line: counts of task and timer starts per lateness bucket since the loop started, and the maxima.
   * Counts are read without a lock, so from another thread they may be a few samples behind.
   */
  public String latencyReport() {
    return "event-loop lateness since start: tasks " + taskLate.format() + "; timers " + timerLate.format();
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
      timerLate.record(-wait);
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
