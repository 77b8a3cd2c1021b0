package glomers.harness.run;

import glomers.harness.client.ClientIds;
import glomers.harness.client.NetClient;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.net.Network;
import glomers.harness.time.Scheduler;
import glomers.harness.workload.Errors;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The generator interpreter (docs/maelstrom.md#workers-rate-and-time-limit): {@code --concurrency}
 * closed-loop workers, worker {@code t} bound to node {@code t mod n}, each pulling its next op from the
 * phase's generator under one lock. In the main phase a global stagger spaces invocations by a uniform
 * random gap in [0, 2/rate) across all workers, and no op is scheduled after the cut-off. A completion
 * goes back to the generator; an {@code :info} makes the worker a new process ({@code + concurrency}) and,
 * for workloads whose clients are not reusable, replaces its client (a new {@code c} id) before the next
 * op. The final phase reuses the workers without stagger.
 */
final class Workers {
  private final TestSpec spec;
  private final Workload workload;
  private final Network net;
  private final Scheduler clock;
  private final ClientIds clientIds;
  private final BooleanSupplier aborted;
  private final Object lock = new Object();
  private final Scheduler.Signal changed;
  private final List<Worker> workers = new ArrayList<>();
  /** Activities of the current phase, interrupted by the watchdog. */
  private final List<Scheduler.Task> running = new CopyOnWriteArrayList<>();

  /** Opens one client per worker, in worker order (the client ids follow those of init and setup). */
  Workers(TestSpec spec, Workload workload, Network net, ClientIds clientIds, BooleanSupplier aborted) {
    this.spec = spec;
    this.workload = workload;
    this.net = net;
    this.clock = net.clock();
    this.clientIds = clientIds;
    this.aborted = aborted;
    this.changed = clock.newSignal();
    for (int i = 0; i < spec.concurrency(); i++) workers.add(new Worker(i));
  }

  /** A closed-loop worker bound to {@code nodes[thread mod n]}. */
  private final class Worker {
    final int thread;
    final String node;
    long process;
    NetClient client;
    WorkloadClient wclient;
    boolean replaceClient;

    Worker(int thread) {
      this.thread = thread;
      this.process = thread;
      this.node = spec.nodeIds().get(thread % spec.nodeCount());
      this.client = new NetClient(clientIds.next(), node, net);
      this.wclient = workload.newClient(spec);
    }

    GenContext ctx(SplittableRandom r, HistoryRecorder history) {
      long p = process;
      return new GenContext() {
        @Override public int thread() { return thread; }
        @Override public long process() { return p; }
        @Override public String node() { return node; }
        @Override public SplittableRandom random() { return r; }
        @Override public long elapsedNanos() { return clock.nanoTime() - history.origin(); }
        @Override public TestSpec test() { return spec; }
      };
    }
  }

  /** State of one phase shared by its workers (guarded by {@link #lock}). */
  private static final class Phase {
    final Generator gen;
    final HistoryRecorder history;
    final SplittableRandom genRandom;
    /** null: no rate stagger */
    final SplittableRandom stagger;
    final long cutoff; // scheduler time: no op is scheduled after it
    long nextSlot = Long.MIN_VALUE;
    boolean over;

    Phase(Generator gen, HistoryRecorder history, SplittableRandom genRandom, SplittableRandom stagger, long cutoff) {
      this.gen = gen;
      this.history = history;
      this.genRandom = genRandom;
      this.stagger = stagger;
      this.cutoff = cutoff;
    }
  }

  /**
   * Runs one phase to its end: every worker got null from the generator, or the cut-off passed.
   *
   * @param stagger the stagger's random stream, or null for a phase without rate stagger
   */
  void runPhase(Generator gen, HistoryRecorder history, SplittableRandom genRandom, SplittableRandom stagger,
      long cutoff) throws InterruptedException {
    Phase ps = new Phase(gen, history, genRandom, stagger, cutoff);
    List<Scheduler.Task> ts = new ArrayList<>();
    for (Worker w : workers) ts.add(clock.spawn("worker-" + w.thread, () -> loop(w, ps)));
    running.addAll(ts);
    for (Scheduler.Task t : ts) {
      // After an abort, give stuck workers (e.g. a workload client swallowing interrupts) 2 s, then move on.
      while (t.alive()) {
        t.join((aborted.getAsBoolean() ? 2000 : 100) * 1_000_000L);
        if (aborted.getAsBoolean() && t.alive()) break;
      }
    }
    running.removeAll(ts);
  }

  private void loop(Worker w, Phase ps) {
    try {
      while (!aborted.getAsBoolean()) {
        Op op;
        long at;
        long waitNanos = -1;
        synchronized (lock) {
          if (ps.over) return;
          long now = clock.nanoTime();
          if (now > ps.cutoff) {
            ps.over = true;
            changed.signalAll();
            return;
          }
          op = null;
          at = now;
          if (ps.stagger != null && spec.rate() <= 0) {
            // --rate 0: the client generator only sleeps until the time limit.
            waitNanos = ps.cutoff - now + 1_000_000L;
          } else {
            op = ps.gen.next(w.ctx(ps.genRandom, ps.history));
            if (op == null) return;
            if (op == Generator.PENDING) {
              waitNanos = 10_000_000L;
            } else if (ps.stagger != null) {
              if (ps.nextSlot != Long.MIN_VALUE && ps.nextSlot > at) at = ps.nextSlot;
              if (at > ps.cutoff) {
                ps.over = true;
                changed.signalAll();
                return;
              }
              ps.nextSlot = at + (long) (ps.stagger.nextDouble() * 2e9 / spec.rate());
            }
          }
        }
        if (waitNanos >= 0) {
          changed.await(waitNanos);
          continue;
        }
        clock.sleepUntil(at);
        if (aborted.getAsBoolean()) return;
        invoke(w, ps, op);
      }
    } catch (InterruptedException e) {
      // aborted
    }
  }

  private void invoke(Worker w, Phase ps, Op op) throws InterruptedException {
    if (w.replaceClient) {
      w.client.close();
      w.client = new NetClient(clientIds.next(), w.node, net);
      w.wclient = workload.newClient(spec);
      w.replaceClient = false;
    }
    Op inv = ps.history.record(new Op(-1, 0, OpType.INVOKE, w.process, op.f(), op.value(), null, null,
        op.isFinal(), op.extra()));
    Op done;
    try {
      done = w.wclient.invoke(inv, w.client);
      if (done == null || done.type() == OpType.INVOKE) {
        done = Errors.crashed(inv, new IllegalStateException("workload client returned " + done));
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      done = Errors.crashed(inv, e);
    }
    Op rec = ps.history.record(new Op(-1, 0, done.type(), w.process, inv.f(), done.value(), done.error(),
        done.exception(), done.isFinal() || inv.isFinal(), done.extra()));
    synchronized (lock) {
      ps.gen.update(rec);
    }
    changed.signalAll();
    if (rec.isInfo()) {
      w.process += spec.concurrency();
      if (!workload.reusableClient()) w.replaceClient = true;
    }
  }

  /** Watchdog: interrupts the current phase's workers and wakes the waiting ones. */
  void abort() {
    for (Scheduler.Task t : running) t.interrupt();
    changed.signalAll();
  }

  void closeClients() {
    for (Worker w : workers) w.client.close();
  }
}
