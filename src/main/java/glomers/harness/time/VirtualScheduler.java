package glomers.harness.time;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * Virtual time: one discrete-event queue ordered by (time, scheduling order), and activities that are
 * threads of which exactly one runs at any moment.
 *
 * <p>The event loop runs on the thread that called {@link #runMain}. Resuming an activity hands it a
 * baton (its semaphore) and waits for the baton back, which the activity returns when it blocks
 * ({@link #sleepUntil}, {@link Signal#await}, {@link Task#join}) or ends. Activities therefore keep their
 * blocking, sequential code (a workload client's {@code rpc.call} simply parks its worker), yet the whole
 * run is a deterministic function of the event queue: same events in, same order out. Time only moves
 * when the queue's head lies in the future, that is, once every runnable activity and every event due now
 * has run.
 *
 * <p>When the main activity ends, the loop stops; activities still parked are unwound by a
 * {@link Stopped} error so that no thread outlives the run.
 */
public final class VirtualScheduler implements Scheduler {
  /** Thrown inside a parked activity when the run is over. */
  public static final class Stopped extends Error {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("simulation stopped", null, false, false);
    }
  }

  private static final class Event implements Comparable<Event>, Cancel {
    final long at;
    final long seq;
    final Runnable run;
    boolean cancelled;

    Event(long at, long seq, Runnable run) {
      this.at = at;
      this.seq = seq;
      this.run = run;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final class Activity implements Task {
    final Semaphore baton = new Semaphore(0);
    final Thread thread;
    final Signal done = newSignal();
    volatile boolean finished;
    /** Set while waiting on a signal: whether it was signalled, and the pending timeout. */
    boolean[] wakeFlag;
    Cancel wakeTimeout;

    Activity(String name, Runnable body) {
      thread = new Thread(() -> {
        baton.acquireUninterruptibly();
        try {
          if (!stopped) body.run();
        } catch (Stopped ignored) {
          // the run is over
        } catch (Throwable t) {
          failure = failure == null ? t : failure;
        } finally {
          finished = true;
          activities.remove(this);
          if (!stopped) done.signalAll();
          loopBaton.release();
        }
      }, name);
      thread.setDaemon(true);
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
      long end = sat(now, timeoutNanos);
      while (!finished) {
        if (now >= end) return false;
        done.await(end - now);
      }
      return true;
    }

    @Override
    public void interrupt() {
      // Virtual activities are never interrupted: the watchdog of a virtual run acts through its flags.
    }

    @Override
    public boolean alive() {
      return !finished;
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final Semaphore loopBaton = new Semaphore(0);
  private final List<Activity> activities = new ArrayList<>();
  private long now;
  private long seq;
  private Activity current;
  private volatile boolean stopped;
  private volatile Throwable failure;
  private final long maxEvents;
  private long events;

  /** @param maxEvents a bound on processed events, against runaway handlers (exceeded = the run crashes) */
  public VirtualScheduler(long maxEvents) {
    this.maxEvents = maxEvents;
  }

  public VirtualScheduler() {
    this(Long.MAX_VALUE);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public boolean isVirtual() {
    return true;
  }

  /** Events processed so far. */
  public long events() {
    return events;
  }

  @Override
  public Cancel at(long nanos, Runnable event) {
    Event e = new Event(Math.max(nanos, now), seq++, event);
    queue.add(e);
    return e;
  }

  @Override
  public void sleepUntil(long nanos) {
    Activity a = self();
    if (nanos <= now) return;
    at(nanos, () -> resume(a));
    park(a);
  }

  @Override
  public Task spawn(String name, Runnable body) {
    Activity a = new Activity(name, body);
    activities.add(a);
    a.thread.start();
    at(now, () -> resume(a));
    return a;
  }

  @Override
  public Signal newSignal() {
    return new Signal() {
      private final List<Activity> waiting = new ArrayList<>();

      @Override
      public boolean await(long timeoutNanos) {
        Activity a = self();
        boolean[] signalled = new boolean[1];
        Cancel[] timeout = new Cancel[1];
        Runnable wake = () -> {
          if (waiting.remove(a)) resume(a);
        };
        timeout[0] = at(sat(now, timeoutNanos), wake);
        waiting.add(a);
        a.wakeFlag = signalled;
        a.wakeTimeout = timeout[0];
        park(a);
        return signalled[0];
      }

      @Override
      public void signalAll() {
        if (waiting.isEmpty()) return;
        List<Activity> ws = new ArrayList<>(waiting);
        waiting.clear();
        for (Activity a : ws) {
          a.wakeFlag[0] = true;
          a.wakeTimeout.cancel();
          at(now, () -> resume(a));
        }
      }
    };
  }

  @Override
  public <T> T runMain(Callable<T> body) throws Exception {
    Object[] result = new Object[1];
    Exception[] thrown = new Exception[1];
    Activity main = (Activity) spawn("sim-main", () -> {
      try {
        result[0] = body.call();
      } catch (Exception e) {
        thrown[0] = e;
      }
    });
    try {
      while (!main.finished) {
        Event e = queue.poll();
        if (e == null) throw new IllegalStateException("simulation deadlock: every activity waits and no event is due");
        if (e.cancelled) continue;
        if (++events > maxEvents) throw new IllegalStateException("simulation exceeded " + maxEvents + " events");
        now = e.at;
        e.run.run();
        if (failure != null) break;
      }
    } finally {
      stop();
    }
    if (failure != null) {
      if (failure instanceof Exception ex) throw ex;
      if (failure instanceof Error er) throw er;
    }
    if (thrown[0] != null) throw thrown[0];
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  private void stop() {
    stopped = true;
    for (Activity a : new ArrayList<>(activities)) {
      current = a;
      a.baton.release();
      loopBaton.acquireUninterruptibly();
    }
    current = null;
  }

  /** On the loop: hands the baton to {@code a} and waits until it blocks again or ends. */
  private void resume(Activity a) {
    if (a.finished) return;
    current = a;
    a.baton.release();
    loopBaton.acquireUninterruptibly();
    current = null;
  }

  /** In activity {@code a}: gives the baton back to the loop and waits to be resumed. */
  private void park(Activity a) {
    loopBaton.release();
    a.baton.acquireUninterruptibly();
    if (stopped) throw new Stopped();
  }

  private Activity self() {
    Activity a = current;
    if (a == null || Thread.currentThread() != a.thread) {
      throw new IllegalStateException("only a simulated activity may block (called from " + Thread.currentThread().getName() + ")");
    }
    return a;
  }

  private static long sat(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
