package glomers.harness.time;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Wall-clock time; every activity is a daemon thread. */
public final class RealScheduler implements Scheduler {
  public static final RealScheduler INSTANCE = new RealScheduler();

  private RealScheduler() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  /** Parks until {@code deadline}, with sub-millisecond accuracy. */
  @Override
  public void sleepUntil(long deadline) throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  @Override
  public Task spawn(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return new Task() {
      @Override
      public boolean join(long timeoutNanos) throws InterruptedException {
        t.join(Math.max(1, timeoutNanos / 1_000_000L));
        return !t.isAlive();
      }

      @Override
      public void interrupt() {
        t.interrupt();
      }

      @Override
      public boolean alive() {
        return t.isAlive();
      }
    };
  }

  @Override
  public Signal newSignal() {
    return new Signal() {
      private long generation;

      @Override
      public synchronized boolean await(long timeoutNanos) throws InterruptedException {
        long g = generation;
        long end = System.nanoTime() + timeoutNanos;
        while (g == generation) {
          long left = end - System.nanoTime();
          if (left <= 0) return false;
          wait(Math.max(1, left / 1_000_000L));
        }
        return true;
      }

      @Override
      public synchronized void signalAll() {
        generation++;
        notifyAll();
      }
    };
  }

  @Override
  public <T> T runMain(Callable<T> body) throws Exception {
    return body.call();
  }

  @Override
  public boolean isVirtual() {
    return false;
  }
}
