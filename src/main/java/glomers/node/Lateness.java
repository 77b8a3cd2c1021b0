package glomers.node;

/**
 * A histogram of how late things started: counts per bucket (≤ 1, 2, 5, 10, 20, 50, 100, 200, 500 ms and
 * above) and the maximum. One thread records (the loop for its tasks and timers, the stdout writer for its
 * lines); any thread may {@link #format} it, reading the counts without a lock, so a few samples behind.
 */
public final class Lateness {
  /** Bucket upper bounds in ms; the last bucket is everything above. */
  private static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500};

  private final long[] counts = new long[BOUNDS_MS.length + 1];
  private volatile long maxNanos;

  public void record(long lateNanos) {
    int i = 0;
    while (i < BOUNDS_MS.length && lateNanos > BOUNDS_MS[i] * 1_000_000L) i++;
    counts[i]++;
    if (lateNanos > maxNanos) maxNanos = lateNanos;
  }

  /** Samples recorded so far. */
  public long count() {
    long n = 0;
    for (long c : counts) n += c;
    return n;
  }

  /** {@code <=1ms:N <=2ms:N … >500ms:N max X.X ms} */
  public String format() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      b.append(i == BOUNDS_MS.length ? ">" + BOUNDS_MS[i - 1] : "<=" + BOUNDS_MS[i]).append("ms:").append(counts[i]).append(' ');
    }
    long max = maxNanos;
    return b.append("max ").append(max / 1_000_000).append('.').append(max / 100_000 % 10).append(" ms").toString();
  }
}
