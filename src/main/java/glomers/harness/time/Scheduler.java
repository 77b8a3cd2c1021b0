package glomers.harness.time;

/**
 * How time passes and how the harness's concurrent activities (workers, init and setup clients, the
 * nemesis, the watchdog) run. Two implementations share every rule of a test: {@link RealScheduler}
 * (the wall clock and one thread per activity, for node processes) and {@link VirtualScheduler} (one
 * discrete-event queue on a virtual clock, for in-process nodes), so that the lifecycle, generator
 * interpreter, nemesis and clients are written once.
 */
public interface Scheduler {
  /** Monotonic nanoseconds (arbitrary origin). */
  long nanoTime();

  /** Blocks the calling activity until {@link #nanoTime()} ≥ {@code nanos}. */
  void sleepUntil(long nanos) throws InterruptedException;

  /** Starts {@code body} as a concurrent activity. */
  Task spawn(String name, Runnable body);

  /** A condition activities wait on and others signal. */
  Signal newSignal();

  /**
   * Runs {@code body} as the test's main activity and returns its result: on the calling thread for real
   * time, or as the first activity of the event loop for virtual time.
   */
  <T> T runMain(java.util.concurrent.Callable<T> body) throws Exception;

  /** Whether time is virtual: delivery is then pushed by the event loop instead of polled by threads. */
  boolean isVirtual();

  /**
   * Runs {@code event} at {@code nanos} on the event loop (virtual time only); events at the same time
   * run in the order they were scheduled.
   */
  default Cancel at(long nanos, Runnable event) {
    throw new UnsupportedOperationException("timed events need virtual time");
  }

  /** A started activity. */
  interface Task {
    /** Waits up to {@code timeoutNanos} for the activity to end; true when it has. */
    boolean join(long timeoutNanos) throws InterruptedException;

    void interrupt();

    boolean alive();
  }

  /** A cancellable timed event. */
  interface Cancel {
    void cancel();
  }

  /**
   * A wake-up condition: {@link #await} returns after a {@link #signalAll} that happens after the call
   * began, or after the timeout, whichever comes first (spurious wake-ups allowed).
   */
  interface Signal {
    /** Waits up to {@code timeoutNanos}; true when signalled. */
    boolean await(long timeoutNanos) throws InterruptedException;

    void signalAll();
  }
}
