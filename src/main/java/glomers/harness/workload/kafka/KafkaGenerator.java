package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.txn.TxnGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main-phase kafka generator, as Jepsen 0.3.1's kafka workload builds it for Maelstrom ({@code :txn? false},
 * {@code :sub-via #{:assign}}, {@code :crash-clients? true};
 * https://github.com/jepsen-io/maelstrom/blob/v0.2.3/src/maelstrom/workload/kafka.clj over
 * https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/tests/kafka.clj):
 *
 * <pre>
 * any( crash ops, staggered U[0, 60/concurrency) s,
 *      poll-unseen( interleave-subscribes 1/8 ( track-key-offsets( list-append txns of length 1 → send/poll ))))
 * </pre>
 *
 * <ul>
 *   <li>Base ops: Elle's list-append generator ({@link TxnGenerator}) with one micro-op per txn: read →
 *       {@code poll}, append → {@code send k v}. A key takes the values 1 … {@code --max-writes-per-key} and
 *       stays in the pool, still polled and assigned, until a write draws it once more; only then does a
 *       fresh key take its slot.
 *   <li>With probability 1/8 the base op is replaced by {@code assign [k]} (k = the key the op would have
 *       touched) and not consumed: the next call draws it again.
 *   <li>With probability 1/3 an assign is widened by every key with acknowledged-but-unpolled offsets, so
 *       consumers come back to keys they left behind.
 *   <li>Crashes: Jepsen's {@code gen/any} offers the crash op and the base op together and takes the sooner;
 *       when a crash is due both carry the current time and {@code soonest-op-map} breaks the tie at random
 *       (https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/generator.clj). The crash
 *       stagger starts due, so a client crashes within the test's first few ops, and the next crash is due
 *       U[0, 60/concurrency) s after the previous one was emitted (not after it was due), as in
 *       {@code Stagger}.
 *   <li>Every ok op's highest offsets per key are merged into {@link #maxOffsets}, which the final phase
 *       polls up to.
 * </ul>
 * Jepsen's exact RNG streams cannot be reproduced; every draw uses the test's seeded random instead.
 */
public final class KafkaGenerator implements Generator {
  static final double ASSIGN_P = 1.0 / 8;
  static final double UNSEEN_P = 1.0 / 3;
  static final double CRASH_INTERVAL_S = 30;

  private final long crashMeanNanos;
  private final TxnGenerator base;
  private final Map<String, Long> maxOffsets;
  /** Keys with ok sends beyond what ok polls reached: key → highest offset sent / polled. */
  private final Map<String, Long> sent = new LinkedHashMap<>();
  private final Map<String, Long> polled = new LinkedHashMap<>();

  /** A drawn but not yet emitted base micro-op (kept across assign substitutions and crashes). */
  private List<?> pending;
  /** When the next crash is due; negative until the first crash, which is due from the start. */
  private long nextCrashNanos = -1;

  public KafkaGenerator(TestSpec test, Map<String, Long> maxOffsets) {
    int keyCount = test.keyCount() == null ? 10 : test.keyCount();
    this.base = new TxnGenerator("append", keyCount, 1, test.maxWritesPerKey());
    this.crashMeanNanos = (long) (CRASH_INTERVAL_S / Math.max(1, test.concurrency()) * 1e9);
    this.maxOffsets = maxOffsets;
  }

  @Override
  public Op next(GenContext ctx) {
    long now = ctx.elapsedNanos();
    if (now >= nextCrashNanos && ctx.random().nextBoolean()) {
      nextCrashNanos = now + (long) (ctx.random().nextDouble() * 2 * crashMeanNanos);
      return Op.invoke(ctx.process(), "crash", null);
    }
    if (pending == null) pending = (List<?>) base.nextTxn(ctx.random()).get(0);
    String k = String.valueOf(pending.get(1));
    if (ctx.random().nextDouble() < ASSIGN_P) {
      List<String> keys = new ArrayList<>(List.of(k));
      if (!sent.isEmpty() && ctx.random().nextDouble() < UNSEEN_P) {
        Set<String> all = new LinkedHashSet<>(keys);
        all.addAll(sent.keySet());
        keys = new ArrayList<>(all);
      }
      return Op.invoke(ctx.process(), "assign", keys);
    }
    Op op = "r".equals(pending.get(0))
        ? Op.invoke(ctx.process(), "poll", List.of(List.of("poll")))
        : Op.invoke(ctx.process(), "send", List.of(List.of("send", k, pending.get(2))));
    pending = null;
    return op;
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
