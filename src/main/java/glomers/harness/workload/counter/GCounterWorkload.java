package glomers.harness.workload.counter;

/** {@code -w g-counter}: the pn-counter workload without negative adds (challenge 4). */
public final class GCounterWorkload extends CounterWorkload {
  public GCounterWorkload() {
    super("g-counter", true);
  }
}
