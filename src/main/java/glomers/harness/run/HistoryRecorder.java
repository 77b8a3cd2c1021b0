package glomers.harness.run;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.time.Scheduler;
import java.util.ArrayList;
import java.util.List;

/** Thread-safe, time-ordered history; times are nanoseconds of the scheduler's clock since the test start. */
public final class HistoryRecorder {
  private final Scheduler clock;
  private final long t0;
  private final List<Op> ops = new ArrayList<>();
  private long ok, fail, info, invokes;

  public HistoryRecorder(Scheduler clock, long t0) {
    this.clock = clock;
    this.t0 = t0;
  }

  /** {@code clock.nanoTime()} of history time 0. */
  public long origin() {
    return t0;
  }

  /** Appends {@code op}, stamping the current time and its index; returns the stamped op. */
  public synchronized Op record(Op op) {
    Op o = op.withTime(clock.nanoTime() - t0).withIndex(ops.size());
    ops.add(o);
    if (o.isClient()) {
      switch (o.type()) {
        case INVOKE -> invokes++;
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
      }
    }
    return o;
  }

  public synchronized History history() {
    return new History(new ArrayList<>(ops));
  }

  /** Client counts: {invokes, ok, fail, info}. */
  public synchronized long[] counts() {
    return new long[] {invokes, ok, fail, info};
  }
}
