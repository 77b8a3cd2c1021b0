package glomers.harness.workload.kafka;

import static glomers.harness.check.Anomalies.map;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.kafka.KafkaOps.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kafka workload checker: a re-implementation of Jepsen 0.3.1's {@code jepsen.tests.kafka/checker} as
 * Maelstrom v0.2.3 runs it (sub-via assign, no transactions, no ww dependencies): see
 * https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/tests/kafka.clj and docs/kafka.md.
 *
 * <p>Shaped like Jepsen's: one {@link KafkaIndex} of the history (per-op pairs, writers and readers of every
 * value, per-key {@link VersionOrder}s with dense indices, so holes in the offsets never count as skips),
 * then one function per error type, in the order Jepsen computes them:
 *
 * <ul>
 *   <li>{@code inconsistent-offsets}: two values at one offset; {@code duplicate}: one value at two offsets;
 *   <li>{@code G1a}: an ok poll returned a value whose send failed;
 *   <li>{@code lost-write}: a committed value at or below the highest index some ok poll reached that no ok
 *       poll returned;
 *   <li>{@code poll-skip} / {@code nonmonotonic-poll}, per process: a poll of k must start exactly at the
 *       index after the last value the process's previous ok poll of k returned (a successful assign forgets
 *       keys it does not list); {@code int-poll-*} the same inside one poll; {@code nonmonotonic-send} for one
 *       process's successive sends to a key;
 *   <li>{@code unseen}: values acknowledged by an ok send that no ok poll ever returned. Fatal, although the
 *       challenge text says there is no recency requirement (docs/kafka.md);
 *   <li>{@code G1c-realtime} cycles through the shared Elle graph and cycle search ({@link KafkaCycles}).
 * </ul>
 *
 * <p>{@code valid?} is false iff an error type outside {@link #ALLOWED} was found; a checker exception (e.g. a
 * polled value nobody sent) yields {@code unknown}, as Jepsen's {@code check-safe} does. Also reported:
 * {@code worst-realtime-lag} ({@link RealtimeLag}), {@code error-types}, {@code bad-error-types},
 * {@code info-txn-causes}. Every error type is condensed to {@code {count, errs}} with at most 8 or 32
 * examples, as {@code condense-error} does.
 *
 * <p>Cost: the index and every analysis are linear passes with hash maps; the cycle search is one Tarjan
 * pass over O(ops × concurrency) realtime edges plus one wr edge per polled value.
 */
public final class KafkaChecker implements Checker {
  /** Error types that do not invalidate a kafka test in assign mode without ww-deps (Jepsen's allowed set). */
  static final Set<String> ALLOWED =
      Set.of("int-send-skip", "G0", "G0-process", "G0-realtime", "PL-1-cycle-exists", "strong-PL-1-cycle-exists");

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    try {
      return analyse(new KafkaIndex(history));
    } catch (RuntimeException e) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("valid?", Validity.UNKNOWN.json());
      r.put("error", String.valueOf(e.getMessage() != null ? e.getMessage() : e));
      return r;
    }
  }

  /**
   * The worst realtime lag among polls invoked at or after {@code fromNanos} (for benchmarks that want the
   * steady state without the start-up of cold JVMs); same shape as the checker's {@code worst-realtime-lag}.
   */
  public static Map<String, Object> worstRealtimeLag(History history, long fromNanos) {
    return RealtimeLag.worst(new KafkaIndex(history), fromNanos);
  }

  private static Map<String, Object> analyse(KafkaIndex index) {
    TreeMap<String, Object> errors = new TreeMap<>();
    put(errors, "inconsistent-offsets", inconsistentOffsets(index));
    put(errors, "duplicate", duplicates(index));
    put(errors, "G1a", g1a(index));
    put(errors, "lost-write", lostWrites(index));
    pollSkips(index, errors);
    intPolls(index, errors);
    put(errors, "nonmonotonic-send", nonmonotonicSends(index));
    put(errors, "unseen", unseen(index));
    KafkaCycles.report(index, errors);

    List<String> errorTypes = new ArrayList<>(errors.keySet());
    List<String> bad = new ArrayList<>();
    for (String t : errorTypes) if (!ALLOWED.contains(t)) bad.add(t);
    Set<Object> infoCauses = new LinkedHashSet<>();
    for (Op op : index.ops) if (op.isInfo() && KafkaOps.isSendOrPoll(op)) infoCauses.add(op.error());

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("valid?", bad.isEmpty());
    result.put("worst-realtime-lag", RealtimeLag.worst(index, Long.MIN_VALUE));
    result.put("bad-error-types", bad);
    result.put("error-types", errorTypes);
    result.put("info-txn-causes", new ArrayList<>(infoCauses));
    result.putAll(errors);
    return result;
  }

  private static void put(Map<String, Object> errors, String type, Object found) {
    if (found != null) errors.put(type, found);
  }

  /** Offsets holding more than one value, fewest values first. */
  static Map<String, Object> inconsistentOffsets(KafkaIndex index) {
    List<Map<String, Object>> errs = new ArrayList<>();
    index.orders.forEach((k, vo) -> {
      long i = 0;
      for (Map.Entry<Long, LinkedHashSet<Object>> e : vo.log.entrySet()) {
        if (e.getValue().size() > 1) {
          errs.add(map("key", k, "offset", e.getKey(), "index", i, "values", sorted(e.getValue())));
        }
        i++;
      }
    });
    errs.sort(Comparator.comparingInt(m -> ((List<?>) m.get("values")).size()));
    return condense(errs, 32, false);
  }

  /** Values found at more than one offset. */
  static Map<String, Object> duplicates(KafkaIndex index) {
    List<Map<String, Object>> errs = new ArrayList<>();
    index.orders.forEach((k, vo) -> {
      Map<Object, List<Long>> offsetsOf = new LinkedHashMap<>();
      vo.log.forEach((offset, vs) -> {
        for (Object v : vs) offsetsOf.computeIfAbsent(v, x -> new ArrayList<>()).add(offset);
      });
      offsetsOf.forEach((v, offs) -> {
        if (offs.size() > 1) errs.add(map("key", k, "value", v, "count", (long) offs.size(), "offsets", offs));
      });
    });
    errs.sort(Comparator.comparingLong(m -> (Long) m.get("count")));
    return condense(errs, 32, false);
  }

  /** Ok polls that returned a value whose send failed. */
  static Map<String, Object> g1a(KafkaIndex index) {
    Map<String, Set<Object>> failed = index.writesBy(OpType.FAIL);
    List<Map<String, Object>> errs = new ArrayList<>();
    for (Op op : index.ops) {
      if (!op.isOk()) continue;
      index.reads(op).forEach((k, ps) -> {
        for (Pair p : ps) {
          if (failed.getOrDefault(k, Set.of()).contains(p.value())) {
            errs.add(map("key", k, "value", p.value(), "writer", opMap(index.writerOf.get(k).get(p.value())),
                "reader", opMap(op)));
          }
        }
      });
    }
    return condense(errs, Integer.MAX_VALUE, false);
  }

  /** Committed values at or below the highest index an ok poll reached that no ok poll returned. */
  static Map<String, Object> lostWrites(KafkaIndex index) {
    List<Map<String, Object>> errs = new ArrayList<>();
    for (Map.Entry<String, Set<Object>> e : new TreeMap<>(index.readsBy(OpType.OK)).entrySet()) {
      String k = e.getKey();
      Set<Object> polled = e.getValue();
      VersionOrder vo = index.orders.get(k);
      if (vo == null) continue;
      int bound = -1;
      for (Object v : polled) {
        Integer i = vo.firstIndex.get(v);
        if (i != null) bound = Math.max(bound, i);
      }
      // Jepsen would fail on (nth ... -1) here; with nothing bounded there is nothing to lose.
      if (bound < 0) continue;
      List<Object> atBound = vo.lastIndexValues.get(bound);
      List<Op> maxReaders = atBound.isEmpty() ? null : index.readersOf.getOrDefault(k, Map.of()).get(atBound.get(0));
      Op maxRead = maxReaders == null || maxReaders.isEmpty() ? null : maxReaders.get(0);
      for (int i = 0; i <= bound; i++) {
        for (Object v : vo.lastIndexValues.get(i)) {
          if (polled.contains(v)) continue;
          Op w = index.writer(k, v);
          if (!index.mustHaveCommitted(w)) continue;
          errs.add(map("key", k, "value", v, "index", vo.firstIndex.get(v).longValue(), "max-read-index", (long) bound,
              "writer", opMap(w), "max-read", opMap(maxRead)));
        }
      }
    }
    return condense(errs, Integer.MAX_VALUE, false);
  }

  /** {@code poll-skip} and {@code nonmonotonic-poll}: each process's successive ok polls of a key. */
  static void pollSkips(KafkaIndex index, Map<String, Object> errors) {
    List<Map<String, Object>> skips = new ArrayList<>();
    List<Map<String, Object>> nonmono = new ArrayList<>();
    Map<Long, Map<String, Op>> lastReads = new HashMap<>();
    for (Op op : index.ops) {
      Map<String, Op> last = lastReads.computeIfAbsent(op.process(), p -> new HashMap<>());
      if (isAssign(op)) {
        if (op.isOk() || op.isInfo()) last.keySet().retainAll(new HashSet<>(KafkaOps.assignKeys(op)));
        continue;
      }
      if (!"poll".equals(op.f()) || op.isInvoke()) continue;
      Map<String, List<Pair>> reads = index.reads(op);
      for (Map.Entry<String, List<Pair>> e : reads.entrySet()) {
        String k = e.getKey();
        Op lastOp = last.get(k);
        if (lastOp == null) continue;
        List<Pair> prev = index.reads(lastOp).get(k);
        Object v = prev == null || prev.isEmpty() ? null : prev.get(prev.size() - 1).value();
        Object v2 = e.getValue().isEmpty() ? null : e.getValue().get(0).value();
        long d = index.delta(k, v, v2);
        if (d > 1) {
          skips.add(map("key", k, "delta", d, "skipped", index.skipped(k, v, v2), "ops", List.of(opMap(lastOp), opMap(op))));
        } else if (d < 1) {
          nonmono.add(map("key", k, "values", Arrays.asList(v, v2), "delta", d, "ops", List.of(opMap(lastOp), opMap(op))));
        }
      }
      if (op.isOk()) for (String k : reads.keySet()) last.put(k, op);
    }
    put(errors, "poll-skip", condense(byDelta(skips), 8, true));
    put(errors, "nonmonotonic-poll", condense(byDelta(nonmono), 8, false));
  }

  /** {@code int-poll-skip} and {@code int-nonmonotonic-poll}: successive values inside one poll. */
  static void intPolls(KafkaIndex index, Map<String, Object> errors) {
    List<Map<String, Object>> skips = new ArrayList<>();
    List<Map<String, Object>> nonmono = new ArrayList<>();
    for (Op op : index.ops) {
      index.reads(op).forEach((k, ps) -> {
        for (int i = 0; i + 1 < ps.size(); i++) {
          Object v1 = ps.get(i).value(), v2 = ps.get(i + 1).value();
          long d = index.delta(k, v1, v2);
          if (d == 1) continue;
          Map<String, Object> m = map("key", k, "values", Arrays.asList(v1, v2), "delta", d);
          if (d > 1) m.put("skipped", index.skipped(k, v1, v2));
          m.put("op", opMap(op));
          (d > 1 ? skips : nonmono).add(m);
        }
      });
    }
    put(errors, "int-poll-skip", condense(byDelta(skips), 8, true));
    put(errors, "int-nonmonotonic-poll", condense(byDelta(nonmono), 8, false));
  }

  /** One process's successive sends to a key going backwards in the version order. */
  static Map<String, Object> nonmonotonicSends(KafkaIndex index) {
    List<Map<String, Object>> errs = new ArrayList<>();
    Map<Long, Map<String, Op>> lastSends = new HashMap<>();
    for (Op op : index.ops) {
      if (!(op.isOk() || op.isInfo())) continue;
      Map<String, Op> last = lastSends.computeIfAbsent(op.process(), p -> new HashMap<>());
      if (isAssign(op)) {
        last.keySet().retainAll(new HashSet<>(KafkaOps.assignKeys(op)));
        continue;
      }
      if (!"send".equals(op.f())) continue;
      Map<String, List<Pair>> sends = index.writes(op);
      sends.forEach((k, ps) -> {
        Op lastOp = last.get(k);
        if (lastOp == null || ps.isEmpty()) return;
        List<Pair> prev = index.writes(lastOp).get(k);
        Object v = prev.get(prev.size() - 1).value();
        Object v2 = ps.get(0).value();
        long d = index.delta(k, v, v2);
        if (d < 1) errs.add(map("key", k, "values", Arrays.asList(v, v2), "delta", d, "ops", List.of(opMap(lastOp), opMap(op))));
      });
      for (String k : sends.keySet()) last.put(k, op);
    }
    return condense(byDelta(errs), 8, false);
  }

  /** Values acknowledged by an ok send that no ok poll returned, as {@code {time, unseen, messages}}. */
  static Map<String, Object> unseen(KafkaIndex index) {
    Map<String, Set<Object>> unseen = new TreeMap<>();
    long time = 0;
    boolean any = false;
    for (Op op : index.ops) {
      if (!op.isOk() || !KafkaOps.isSendOrPoll(op)) continue;
      any = true;
      time = op.time();
      index.writes(op).forEach((k, ps) -> {
        for (Pair p : ps) unseen.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(p.value());
      });
      index.reads(op).forEach((k, ps) -> {
        Set<Object> s = unseen.get(k);
        if (s != null) for (Pair p : ps) s.remove(p.value());
      });
    }
    // A poll that returned a message before its send completed came earlier in the history than the send;
    // Jepsen's set difference against every polled value removes those too.
    Map<String, Set<Object>> okReads = index.readsBy(OpType.OK);
    unseen.forEach((k, s) -> s.removeAll(okReads.getOrDefault(k, Set.of())));
    if (!any) return null;
    Map<String, Object> counts = new TreeMap<>();
    Map<String, Object> messages = new TreeMap<>();
    unseen.forEach((k, s) -> {
      if (s.isEmpty()) return;
      counts.put(k, (long) s.size());
      List<Object> vs = sorted(s);
      messages.put(k, vs.size() > 32 ? new ArrayList<>(vs.subList(0, 32)) : vs);
    });
    if (counts.isEmpty()) return null;
    return map("time", time, "unseen", counts, "messages", messages);
  }

  private static boolean isAssign(Op op) {
    return "assign".equals(op.f()) || "subscribe".equals(op.f());
  }

  // ------------------------------------------------------------------ output helpers

  static List<Map<String, Object>> byDelta(List<Map<String, Object>> errs) {
    errs.sort(Comparator.comparingLong(m -> (Long) m.get("delta")));
    return errs;
  }

  /**
   * Jepsen's condense-error: {count, errs} with the first (or, for skips, last) n examples; null when there
   * are none.
   */
  static Map<String, Object> condense(List<Map<String, Object>> errs, int n, boolean takeLast) {
    if (errs.isEmpty()) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", (long) errs.size());
    List<Map<String, Object>> ex;
    if (errs.size() <= n) ex = errs;
    else if (takeLast) ex = errs.subList(errs.size() - n, errs.size());
    else ex = errs.subList(0, n);
    m.put("errs", new ArrayList<>(ex));
    return m;
  }

  static Map<String, Object> opMap(Op op) {
    return op == null ? null : op.toMap();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Object> sorted(Collection<Object> values) {
    List<Object> l = new ArrayList<>(values);
    try {
      l.sort((a, b) -> ((Comparable) a).compareTo(b));
    } catch (ClassCastException e) {
      l.sort(Comparator.comparing(String::valueOf));
    }
    return l;
  }
}
