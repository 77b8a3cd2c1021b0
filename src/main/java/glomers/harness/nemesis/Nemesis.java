package glomers.harness.nemesis;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The nemesis of a test: Maelstrom's schedule, written once for every kind of {@link Fault} and every
 * backend. From the start of the main phase it alternates start and stop ops, the next one after a
 * uniform random wait in [0, 2 × {@code --nemesis-interval}), until the time limit; each start picks one
 * of the enabled faults (with a single kind, no random draw is spent on the choice, so a partition-only
 * schedule is exactly Maelstrom's). Each op is two {@code :info} entries of process {@code :nemesis}, as
 * Jepsen records them. {@link #healAll} ends every active fault before the final phase, as Maelstrom heals
 * partitions.
 */
public final class Nemesis {
  private final List<Fault> faults;
  private final Scheduler clock;
  private final Consumer<Op> history;
  private final SplittableRandom random;
  private final long intervalNanos;
  private final List<Fault> active = new ArrayList<>();
  private final java.util.Map<String, Integer> starts = new java.util.LinkedHashMap<>();

  /**
   * @param history records one op (the recorder stamps time and index)
   * @param random the nemesis's own random stream
   */
  public Nemesis(List<Fault> faults, double intervalSeconds, Scheduler clock, Consumer<Op> history,
      SplittableRandom random) {
    this.faults = List.copyOf(faults);
    this.clock = clock;
    this.history = history;
    this.random = random;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
  }

  public boolean enabled() {
    return !faults.isEmpty();
  }

  /** The schedule: runs until {@code cutoff} (scheduler time) or until {@code aborted}. */
  public void run(long cutoff, BooleanSupplier aborted) {
    boolean start = true;
    long at = clock.nanoTime();
    try {
      while (!aborted.getAsBoolean()) {
        clock.sleepUntil(at);
        if (aborted.getAsBoolean() || clock.nanoTime() > cutoff) return;
        if (start) {
          start(faults.size() == 1 ? faults.get(0) : faults.get(random.nextInt(faults.size())));
        } else {
          stopAll();
        }
        start = !start;
        at += (long) (random.nextDouble() * 2 * intervalNanos);
        if (at > cutoff) return;
      }
    } catch (InterruptedException e) {
      // aborted
    }
  }

  /** Before the final phase: one stop op per fault kind, whether or not it is active (as Maelstrom). */
  public void healAll() {
    for (Fault f : faults) stop(f);
    active.clear();
  }

  private synchronized void start(Fault f) {
    Fault.Start plan = f.plan(random);
    record("start-" + f.name(), plan.asked());
    Object done = plan.apply();
    active.add(f);
    starts.merge(f.name(), 1, Integer::sum);
    record("start-" + f.name(), done);
  }

  /** How many times each enabled fault started (0 for those the schedule never picked). */
  public synchronized java.util.Map<String, Integer> starts() {
    java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
    for (Fault f : faults) m.put(f.name(), starts.getOrDefault(f.name(), 0));
    return m;
  }

  private void stopAll() {
    for (Fault f : new ArrayList<>(active)) stop(f);
    active.clear();
  }

  private void stop(Fault f) {
    record("stop-" + f.name(), null);
    Object done = f.stop();
    record("stop-" + f.name(), done);
  }

  private void record(String f, Object value) {
    history.accept(new Op(-1, 0, OpType.INFO, Op.NEMESIS, f, value, null, null, false, null));
  }
}
