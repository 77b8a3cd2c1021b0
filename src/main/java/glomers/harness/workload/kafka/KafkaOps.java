package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of kafka op values in the history, and helpers to read them (Jepsen's {@code op-writes},
 * {@code op-reads}, {@code op->max-offsets}).
 *
 * <pre>
 *   send  invoke/fail/info  [["send", k, v]]          ok  [["send", k, [offset, v]]]
 *   poll  invoke/fail/info  [["poll"]]                ok  [["poll", {k: [[offset, v], …], …}]]
 *   assign                  [k, …]   (+ extra "seek-to-beginning?": true in the final phase)
 *   crash                   null
 * </pre>
 *
 * Keys are the wire's strings ({@code "5"}), as Maelstrom's results show them; messages are whatever JSON the
 * generator sent (longs). A value that does not have these shapes makes the helpers throw
 * {@link IllegalArgumentException}, which the checker turns into {@code valid? unknown}, as Jepsen does when
 * its checker throws.
 */
public final class KafkaOps {
  private KafkaOps() {}

  /** One [offset, value] pair; offset may be null when unknown. */
  public record Pair(Long offset, Object value) {}

  public static boolean isSendOrPoll(Op op) {
    return "send".equals(op.f()) || "poll".equals(op.f());
  }

  /** Key → pairs sent by this op (offset null when the completion has none). Empty for non-sends. */
  public static Map<String, List<Pair>> writePairs(Op op) {
    Map<String, List<Pair>> out = new LinkedHashMap<>();
    if (!"send".equals(op.f()) || !(op.value() instanceof List<?> mops)) return out;
    for (Object m : mops) {
      List<?> mop = asList(m, "micro-op");
      if (mop.isEmpty() || !"send".equals(mop.get(0))) continue;
      if (mop.size() < 3) throw new IllegalArgumentException("send micro-op needs [send k v]: " + mop);
      String k = key(mop.get(1));
      Object v = mop.get(2);
      Pair p;
      if (v instanceof List<?> pair) {
        if (pair.size() != 2) throw new IllegalArgumentException("send result must be [offset, value]: " + pair);
        p = new Pair(offset(pair.get(0)), pair.get(1));
      } else {
        p = new Pair(null, v);
      }
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /** Key → pairs polled by this op, in poll order. Empty for non-polls and polls without results. */
  public static Map<String, List<Pair>> readPairs(Op op) {
    Map<String, List<Pair>> out = new LinkedHashMap<>();
    if (!"poll".equals(op.f()) || !(op.value() instanceof List<?> mops)) return out;
    for (Object m : mops) {
      List<?> mop = asList(m, "micro-op");
      if (mop.isEmpty() || !"poll".equals(mop.get(0)) || mop.size() < 2 || mop.get(1) == null) continue;
      if (!(mop.get(1) instanceof Map<?, ?> byKey)) throw new IllegalArgumentException("poll result must be a map: " + mop);
      for (Map.Entry<?, ?> e : byKey.entrySet()) {
        String k = key(e.getKey());
        List<Pair> ps = out.computeIfAbsent(k, x -> new ArrayList<>());
        for (Object o : asList(e.getValue(), "poll pairs")) {
          List<?> pair = asList(o, "poll pair");
          if (pair.size() != 2) throw new IllegalArgumentException("poll pair must be [offset, value]: " + pair);
          ps.add(new Pair(offset(pair.get(0)), pair.get(1)));
        }
      }
    }
    return out;
  }

  /** Key → values sent, in order. */
  public static Map<String, List<Object>> writes(Op op) {
    return values(writePairs(op));
  }

  /** Key → values polled, in order. */
  public static Map<String, List<Object>> reads(Op op) {
    return values(readPairs(op));
  }

  /**
   * Key → highest offset this ok/info op proves exists (polls: -1 for a key returned with no pairs).
   * Jepsen's {@code op->max-offsets}.
   */
  public static Map<String, Long> maxOffsets(Op op) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!(op.isOk() || op.isInfo())) return out;
    for (Map.Entry<String, List<Pair>> e : readPairs(op).entrySet()) {
      long max = -1;
      for (Pair p : e.getValue()) if (p.offset() != null) max = Math.max(max, p.offset());
      out.merge(e.getKey(), max, Math::max);
    }
    for (Map.Entry<String, List<Pair>> e : writePairs(op).entrySet()) {
      for (Pair p : e.getValue()) if (p.offset() != null) out.merge(e.getKey(), p.offset(), Math::max);
    }
    return out;
  }

  /** Keys of an assign op's value. */
  public static List<String> assignKeys(Op op) {
    List<String> out = new ArrayList<>();
    if (op.value() == null) return out;
    for (Object k : asList(op.value(), "assign keys")) out.add(key(k));
    return out;
  }

  private static Map<String, List<Object>> values(Map<String, List<Pair>> pairs) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    pairs.forEach((k, ps) -> {
      List<Object> vs = new ArrayList<>(ps.size());
      for (Pair p : ps) vs.add(p.value());
      out.put(k, vs);
    });
    return out;
  }

  /** Keys are strings in the history; a generator's integer key is accepted and printed the same way. */
  static String key(Object k) {
    if (k instanceof String s) return s;
    if (k instanceof Long || k instanceof Integer) return k.toString();
    throw new IllegalArgumentException("kafka key must be a string: " + k);
  }

  private static Long offset(Object o) {
    if (o == null) return null;
    if (o instanceof Long l) return l;
    if (o instanceof Integer i) return i.longValue();
    throw new IllegalArgumentException("offset must be an integer: " + o);
  }

  private static List<?> asList(Object o, String what) {
    if (o instanceof List<?> l) return l;
    throw new IllegalArgumentException(what + " must be a list: " + o);
  }
}
