package glomers.harness.service;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code seq-kv}, exactly as Maelstrom v0.2.3 implements it (docs/maelstrom.md#consistency-of-the-services).
 *
 * <p>A ring of the last 32 states plus, per caller node id, the index of the newest state that caller has
 * observed or created. A request runs against a state picked uniformly between the caller's index and the
 * newest one; if that leaves the state unchanged (reads, failed CAS, idempotent writes) its result is
 * returned and the caller's index moves there. A real mutation is instead re-applied to the newest state
 * and appended, so mutations are totally ordered and "catch the caller up". Hence stale reads (and
 * spurious 20/22 errors) are possible but never older than what that caller last saw — sequential, not
 * linearizable. Callers more than 32 states behind wrap modulo the ring, as in the original.
 */
public final class SeqKv implements Service {
  static final int CAPACITY = 32;

  @SuppressWarnings("unchecked")
  private final Map<Object, Object>[] ring = new Map[CAPACITY];
  private long lastIndex;
  private final Map<String, Long> callerIndex = new HashMap<>();
  private final SplittableRandom random;

  public SeqKv(SplittableRandom random) {
    this.random = random;
    ring[0] = Kv.EMPTY;
  }

  @Override
  public String id() {
    return "seq-kv";
  }

  private Map<Object, Object> at(long index) {
    return ring[(int) Math.floorMod(index, (long) CAPACITY)];
  }

  @Override
  public Map<String, Object> handle(String src, Map<String, Object> body) {
    long ci = callerIndex.getOrDefault(src, 0L);
    long idx = ci + random.nextLong(lastIndex - ci + 1);
    Map<Object, Object> s = at(idx);
    Kv.Result r = Kv.apply(s, body, true);
    if (r.reply() == null) return null;
    if (r.state().equals(s)) {
      callerIndex.put(src, idx);
      return r.reply();
    }
    Kv.Result fresh = Kv.apply(at(lastIndex), body, true);
    lastIndex++;
    ring[(int) Math.floorMod(lastIndex, (long) CAPACITY)] = fresh.state();
    callerIndex.put(src, lastIndex);
    return fresh.reply();
  }

  /** Index of the newest state (for tests). */
  long lastIndex() {
    return lastIndex;
  }
}
