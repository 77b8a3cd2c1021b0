package glomers.node;

/**
 * A task due at a point in time ({@code at}, in whatever unit its loop counts), ordered by due time and then
 * by scheduling order, so that tasks due at the same time run in the order they were scheduled. Shared by
 * {@link RealEventLoop} and {@link SimEventLoop}; touched only by the loop's own thread.
 */
final class TimerEntry implements Comparable<TimerEntry>, Cancellable {
  final long at;
  final long seq;
  final Runnable task;
  boolean cancelled;

  TimerEntry(long at, long seq, Runnable task) {
    this.at = at;
    this.seq = seq;
    this.task = task;
  }

  @Override
  public int compareTo(TimerEntry o) {
    int c = Long.compare(at, o.at);
    return c != 0 ? c : Long.compare(seq, o.seq);
  }

  @Override
  public void cancel() {
    cancelled = true;
  }
}
