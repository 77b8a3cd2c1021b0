package glomers.harness.workload.counter;

/** {@code -w pn-counter}: increments and decrements, deltas uniform in [−5, 4]. */
public final class PnCounterWorkload extends CounterWorkload {
  public PnCounterWorkload() {
    super("pn-counter", false);
  }
}
