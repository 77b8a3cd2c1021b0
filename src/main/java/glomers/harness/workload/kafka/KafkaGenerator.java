package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main-phase kafka generator, as Jepsen's kafka workload builds it for Maelstrom ({@code :txn? false},
 * {@code :sub-via #{:assign}}, {@code :crash-clients? true};
 * https://github.com/jepsen-io/maelstrom/blob/v0.2.3/src/maelstrom/workload/kafka.clj):
 *
 * <pre>
 * any( crash ops, staggered U[0, 60/concurrency) s,
 *      poll-unseen( interleave-assigns 1/8 ( track-key-offsets( list-append txns of length 1 → send/poll ))))
 * </pre>
 *
 * <ul>
 *   <li>Base ops: Elle's list-append generator with one micro-op per txn: read → {@code poll}, append →
 *       {@code send k v} (50/50). Keys come from a pool of {@code --key-count} (10) keys where pool slot i
 *       is picked with probability 2^i/(2^n − 1); a key gets values 1, 2, … {@code --max-writes-per-key}
 *       (16), then its slot is taken by a fresh key (largest key so far + 1).
 *   <li>With probability 1/8 the base op is replaced by {@code assign [k]} (k = the key the op would have
 *       touched) and not consumed: the next call draws it again.
 *   <li>With probability 1/3 an assign is widened by every key with acknowledged-but-unpolled offsets, so
 *       consumers come back to keys they left behind.
 *   <li>Every ok op's highest offsets per key are merged into {@link #maxOffsets}, which the final phase
 *       polls up to.
 * </ul>
 * Jepsen's exact RNG streams cannot be reproduced; every draw uses the test's seeded random instead.
 */
public final class KafkaGenerator implements Generator {
  static final double ASSIGN_P = 1.0 / 8;
  static final double UNSEEN_P = 1.0 / 3;
  static final double CRASH_INTERVAL_S = 30;

  private final int maxWrites;
  private final long crashMeanNanos;
  /** Pool of active keys (slot i has weight 2^i). */
  private final long[] pool;
  private final Map<Long, Long> nextValue = new LinkedHashMap<>();
  private long maxKey;
  private final Map<String, Long> maxOffsets;
  /** Keys with ok sends beyond what ok polls reached: key → highest offset sent / polled. */
  private final Map<String, Long> sent = new LinkedHashMap<>();
  private final Map<String, Long> polled = new LinkedHashMap<>();

  /** A drawn but not yet emitted base op (kept across assign substitutions). */
  private long pendingKey = -1;
  private boolean pendingSend;
  private long nextCrashNanos = -1;

  public KafkaGenerator(TestSpec test, Map<String, Long> maxOffsets) {
    int keyCount = test.keyCount() == null ? 10 : test.keyCount();
    this.maxWrites = test.maxWritesPerKey();
    this.pool = new long[keyCount];
    for (int i = 0; i < keyCount; i++) pool[i] = i;
    this.maxKey = keyCount - 1;
    this.crashMeanNanos = (long) (CRASH_INTERVAL_S / Math.max(1, test.concurrency()) * 1e9);
    this.maxOffsets = maxOffsets;
  }

  @Override
  public Op next(GenContext ctx) {
    if (nextCrashNanos < 0) nextCrashNanos = ctx.elapsedNanos() + stagger(ctx);
    if (ctx.elapsedNanos() >= nextCrashNanos) {
      nextCrashNanos += stagger(ctx);
      return Op.invoke(ctx.process(), "crash", null);
    }
    if (pendingKey < 0) drawBase(ctx);
    String k = Long.toString(pendingKey);
    if (ctx.random().nextDouble() < ASSIGN_P) {
      List<String> keys = new ArrayList<>(List.of(k));
      if (!sent.isEmpty() && ctx.random().nextDouble() < UNSEEN_P) {
        Set<String> all = new LinkedHashSet<>(keys);
        all.addAll(sent.keySet());
        keys = new ArrayList<>(all);
      }
      return Op.invoke(ctx.process(), "assign", keys);
    }
    Op op;
    if (pendingSend) {
      long v = nextValue.merge(pendingKey, 1L, Long::sum);
      if (v >= maxWrites) retire(pendingKey);
      op = Op.invoke(ctx.process(), "send", List.of(List.of("send", k, v)));
    } else {
      op = Op.invoke(ctx.process(), "poll", List.of(List.of("poll")));
    }
    pendingKey = -1;
    return op;
  }

  private long stagger(GenContext ctx) {
    return (long) (ctx.random().nextDouble() * 2 * crashMeanNanos);
  }

  private void drawBase(GenContext ctx) {
    // slot i with probability 2^i / (2^n - 1)
    int n = pool.length;
    double x = ctx.random().nextDouble() * (Math.pow(2, n) - 1);
    int slot = n - 1;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += Math.pow(2, i);
      if (x < acc) {
        slot = i;
        break;
      }
    }
    pendingKey = pool[slot];
    pendingSend = ctx.random().nextBoolean();
  }

  private void retire(long key) {
    for (int i = 0; i < pool.length; i++) {
      if (pool[i] == key) pool[i] = ++maxKey;
    }
  }

  @Override
  public void update(Op completion) {
    if (!completion.isOk()) return;
    Map<String, Long> offs = KafkaOps.maxOffsets(completion);
    offs.forEach((k, o) -> maxOffsets.merge(k, o, Math::max));
    if ("send".equals(completion.f())) {
      KafkaOps.writePairs(completion).forEach((k, ps) -> ps.forEach(p -> {
        if (p.offset() != null) sent.merge(k, p.offset(), Math::max);
      }));
    } else if ("poll".equals(completion.f())) {
      offs.forEach((k, o) -> polled.merge(k, o, Math::max));
    }
    for (String k : new ArrayList<>(offs.keySet())) {
      if (polled.getOrDefault(k, -1L) >= sent.getOrDefault(k, -1L)) {
        sent.remove(k);
        polled.remove(k);
      }
    }
  }

  /** Keys with acknowledged but unpolled offsets (for tests). */
  Set<String> unseenKeys() {
    return sent.keySet();
  }
}
