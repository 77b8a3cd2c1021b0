package glomers.node;

/**
 * The single thread on which all handler code, RPC callbacks and timers run, and the clock that thread
 * sees. Two implementations: {@link RealEventLoop} (a real thread, wall clock) and {@link SimEventLoop}
 * (virtual time, driven step by step by a test), so a handler can run unchanged under either.
 */
public interface EventLoop {
  /** Monotonic time in milliseconds (arbitrary origin). */
  long nowMillis();

  /** Runs the task on the loop thread as soon as possible. Any thread may call this. */
  void execute(Runnable task);

  /** Runs the task once on the loop thread after the delay. Loop thread only. */
  Cancellable schedule(long delayMillis, Runnable task);

  /** Whether the calling thread is the loop thread. */
  boolean inLoop();
}
