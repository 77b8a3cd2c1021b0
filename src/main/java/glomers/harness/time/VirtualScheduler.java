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
 * <p>Whichever thread holds the baton runs the event loop: plain events (node handler code, deliveries)
 * run inline; an event that resumes an activity hands the baton straight to that activity's thread (its
 * semaphore) and the current thread waits for the baton to come back; resuming oneself costs nothing.
 * Activities therefore keep their blocking, sequential code (a workload client's {@code rpc.call} simply
 * parks its worker), yet the whole run is a deterministic function of the event queue: same events in,
 * same order out. Time only moves when the queue's head lies in the future, that is, once every runnable
 * activity and every event due now has run.
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

  private final class Event implements Comparable<Event>, Cancel {
    final long at;
    final long seq;
    final Runnable run;
    /** Non-null: this event resumes that activity. */
    final Activity target;
    boolean cancelled;
    boolean queued = true;

    Event(long at, long seq, Runnable run, Activity target) {
      this.at = at;
      this.seq = seq;
      this.run = run;
      this.target = target;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      if (cancelled) return;
      cancelled = true;
      if (queued && ++cancelledQueued > 1024 && cancelledQueued > queue.size() / 2) purge();
    }
  }

  /**
   * Drops the cancelled events from the queue. Nearly every wait sets a timeout that its wake-up cancels,
   * so without this the queue would hold seconds' worth of dead timeouts and every push and pop would pay
   * for them; the order of the live events, (time, scheduling order), is unaffected.
   */
  private void purge() {
    queue.removeIf(e -> {
      if (e.cancelled) e.queued = false;
      return e.cancelled;
    });
    cancelledQueued = 0;
  }

  private final class Activity implements Task {
    final Semaphore baton = new Semaphore(0);
    final Thread thread;
    final Signal done = newSignal();
    final boolean main;
    volatile boolean finished;
    /** Set while waiting on a signal: whether it was signalled, and the pending timeout. */
    boolean[] wakeFlag;
    Cancel wakeTimeout;

    Activity(String name, Runnable body, boolean main) {
      this.main = main;
      thread = new Thread(() -> {
        baton.acquireUninterruptibly();
        try {
          if (!stopped) body.run();
        } catch (Stopped ignored) {
          // the run is over
        } catch (Throwable t) {
          if (failure == null) failure = t;
        } finally {
          finished = true;
          if (stopped) {
            loopBaton.release(); // hand-shake with stop()
          } else {
            current = null;
            done.signalAll();
            if (this.main) mainFinished = true;
            runLoop(null);
          }
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
  /** Cancelled events still in {@link #queue}. */
  private int cancelledQueued;
  /** Released once, by the thread that finds the run over; taken by the caller of {@link #runMain}. */
  private final Semaphore loopBaton = new Semaphore(0);
  private final List<Activity> activities = new ArrayList<>();
  private long now;
  private long seq;
  private Activity current;
  private volatile boolean stopped;
  private volatile boolean mainFinished;
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
    Event e = new Event(Math.max(nanos, now), seq++, event, null);
    queue.add(e);
    return e;
  }

  private Cancel resumeAt(long nanos, Activity a) {
    Event e = new Event(Math.max(nanos, now), seq++, null, a);
    queue.add(e);
    return e;
  }

  @Override
  public void sleepUntil(long nanos) {
    Activity a = self();
    if (nanos <= now) return;
    resumeAt(nanos, a);
    runLoop(a);
  }

  @Override
  public Task spawn(String name, Runnable body) {
    return spawn(name, body, false);
  }

  private Activity spawn(String name, Runnable body, boolean main) {
    Activity a = new Activity(name, body, main);
    activities.add(a);
    a.thread.start();
    resumeAt(now, a);
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
        a.wakeFlag = signalled;
        a.wakeTimeout = at(sat(now, timeoutNanos), () -> {
          if (waiting.remove(a)) resumeAt(now, a);
        });
        waiting.add(a);
        runLoop(a);
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
          resumeAt(now, a);
        }
      }
    };
  }

  @Override
  public <T> T runMain(Callable<T> body) throws Exception {
    Object[] result = new Object[1];
    Exception[] thrown = new Exception[1];
    spawn("sim-main", () -> {
      try {
        result[0] = body.call();
      } catch (Exception e) {
        thrown[0] = e;
      }
    }, true);
    runLoop(null);
    loopBaton.acquireUninterruptibly();
    stop();
    if (failure != null) {
      if (failure instanceof Exception ex) throw ex;
      if (failure instanceof Error er) throw er;
    }
    if (thrown[0] != null) throw thrown[0];
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  /**
   * The event loop, on the thread holding the baton. Returns when {@code self} is resumed, or (self null:
   * a finished activity or the caller of runMain) as soon as the baton has gone to an activity or the run
   * is over.
   */
  private void runLoop(Activity self) {
    while (true) {
      if (mainFinished || failure != null) {
        loopBaton.release();
        waitForBaton(self);
        return;
      }
      Event e = queue.poll();
      if (e == null) {
        failure = new IllegalStateException("simulation deadlock: every activity waits and no event is due");
        continue;
      }
      e.queued = false;
      if (e.cancelled) {
        cancelledQueued--;
        continue;
      }
      if (++events > maxEvents) {
        failure = new IllegalStateException("simulation exceeded " + maxEvents + " events");
        continue;
      }
      now = e.at;
      Activity b = e.target;
      if (b == null) {
        current = null;
        try {
          e.run.run();
        } catch (Throwable t) {
          failure = t;
        }
        continue;
      }
      if (b.finished) continue;
      current = b;
      if (b == self) return;
      b.baton.release();
      waitForBaton(self);
      return;
    }
  }

  private void waitForBaton(Activity self) {
    if (self == null) return;
    self.baton.acquireUninterruptibly();
    if (stopped) throw new Stopped();
  }

  private void stop() {
    stopped = true;
    for (Activity a : new ArrayList<>(activities)) {
      if (a.finished) continue;
      a.baton.release();
      loopBaton.acquireUninterruptibly();
    }
    current = null;
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
