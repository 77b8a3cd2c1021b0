package glomers.harness.net;

import java.util.SplittableRandom;

/**
 * Added latency of one server↔server message (docs/maelstrom.md#latency-and-delivery): {@code constant} = exactly
 * the mean, {@code uniform} = uniform integer in [0, 2·mean], {@code exponential} = exponential with that mean,
 * truncated to whole milliseconds. Client messages never get latency (decided by {@link Network}).
 */
public final class Latency {
  private final double meanMs;
  private final String dist;
  private final SplittableRandom random;

  public Latency(double meanMs, String dist, SplittableRandom random) {
    this.meanMs = meanMs;
    this.dist = dist;
    this.random = random;
  }

  /** Latency of the next message, nanoseconds. */
  public synchronized long nextNanos() {
    if (meanMs <= 0) return 0;
    double ms;
    switch (dist) {
      case "uniform" -> ms = random.nextLong((long) Math.floor(2 * meanMs) + 1);
      case "exponential" -> ms = Math.floor(-meanMs * Math.log(1 - random.nextDouble()));
      default -> ms = meanMs;
    }
    return (long) (ms * 1_000_000L);
  }
}
