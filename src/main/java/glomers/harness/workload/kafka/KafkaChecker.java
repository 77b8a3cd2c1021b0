package glomers.harness.workload.kafka;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.kafka.KafkaOps.Pair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;

/**
 * The kafka workload checker: a re-implementation of Jepsen 0.3.1's {@code jepsen.tests.kafka/checker} as
 * Maelstrom v0.2.3 runs it (sub-via assign, no transactions, no ww dependencies): see
 * https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/tests/kafka.clj and docs/kafka.md.
 *
 * <p>The analyses, in the order Jepsen computes them:
 *
 * <ol>
 *   <li><b>Version orders.</b> Per key, a log offset → set of values, built from ops that must have
 *       committed (ok, or info with a value that an ok poll returned) plus every poll. Offsets with two
 *       values are {@code inconsistent-offsets}. Offsets are then replaced by <i>dense indices</i> (rank among
 *       non-empty offsets), so holes in the offsets never count as skips.
 *   <li><b>duplicate</b> (one value at two offsets), <b>G1a</b> (an ok poll returned a value whose send
 *       failed), <b>lost-write</b> (a committed value at or below the highest index some ok poll reached
 *       that no ok poll returned).
 *   <li><b>poll-skip / nonmonotonic-poll</b>, per process: the first value of a poll of k must be exactly
 *       the index after the last value the process's previous ok poll of k returned; a successful assign
 *       forgets keys it does not list. <b>int-poll-*</b> does the same inside one poll,
 *       <b>nonmonotonic-send</b> for one process's successive sends to a key.
 *   <li><b>unseen</b>: values acknowledged by an ok send that no ok poll ever returned. Fatal, although the
 *       challenge text says there is no recency requirement (docs/kafka.md).
 *   <li><b>Cycles</b>: a graph over send/poll completions with wr edges (the send → every poll that
 *       returned its value) and realtime edges (Elle's transitively reduced realtime order). Since wr edges
 *       only leave sends and only enter polls, every cycle needs a realtime step: a poll that returned a
 *       message before its send was even invoked. Any strongly connected component is reported as a
 *       {@code G1c-realtime} cycle with a shortest example found by BFS; the count is the number of
 *       components, and the examples are the shortest cycles first.
 * </ol>
 *
 * <p>{@code valid?} is false iff an error type outside {int-send-skip, G0, G0-process, G0-realtime} was
 * found; a checker exception (e.g. a polled value nobody sent) yields {@code unknown}, as Jepsen's
 * {@code check-safe} does. Also reported: {@code worst-realtime-lag} (how stale the stalest poll was),
 * {@code error-types}, {@code bad-error-types}, {@code info-txn-causes}. Every error type is condensed to
 * {@code {count, errs}} with at most 8 or 32 examples, as {@code condense-error} does.
 *
 * <p>Cost: every analysis is one or two linear passes over the history with hash maps; the cycle search is
 * Kosaraju SCCs on a graph of O(ops × concurrency) realtime edges plus one wr edge per polled value.
 */
public final class KafkaChecker implements Checker {
  /** Error types that do not invalidate a kafka test in assign mode without ww-deps (Jepsen's allowed set). */
  static final Set<String> ALLOWED =
      Set.of("int-send-skip", "G0", "G0-process", "G0-realtime", "PL-1-cycle-exists", "strong-PL-1-cycle-exists");

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    try {
      return new Analysis(history).run();
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
    Analysis a = new Analysis(history);
    a.parse();
    return a.worstRealtimeLag(fromNanos);
  }

  /** Thrown when a poll returned a value no op ever sent (Jepsen's {@code :no-writer-of-value}). */
  static final class NoWriterException extends RuntimeException {
    NoWriterException(String k, Object v) {
      super("no-writer-of-value: key " + k + " value " + v);
    }
  }

  /** Per-key version order. */
  static final class VersionOrder {
    final TreeMap<Long, LinkedHashSet<Object>> log = new TreeMap<>();
    final List<Object> byIndex = new ArrayList<>();
    final Map<Object, Integer> byValue = new HashMap<>();
    final Map<Object, Integer> firstIndex = new HashMap<>();
    /** Dense index → values whose last appearance is there. */
    final List<List<Object>> lastIndexValues = new ArrayList<>();

    void add(long offset, Object value) {
      log.computeIfAbsent(offset, o -> new LinkedHashSet<>()).add(value);
    }

    void index() {
      int i = 0;
      Map<Object, Integer> lastIndex = new LinkedHashMap<>();
      for (Set<Object> values : log.values()) {
        Object chosen = values.iterator().next(); // Elle takes an arbitrary element
        byIndex.add(chosen);
        byValue.put(chosen, i);
        for (Object v : values) {
          firstIndex.putIfAbsent(v, i);
          lastIndex.remove(v);
          lastIndex.put(v, i);
        }
        i++;
      }
      for (int j = 0; j < i; j++) lastIndexValues.add(new ArrayList<>());
      lastIndex.forEach((v, j) -> lastIndexValues.get(j).add(v));
    }

    Integer index(Object v) {
      return byValue.get(v);
    }
  }

  private static final class Analysis {
    final History history;
    final List<Op> ops; // client entries in history order
    final Map<String, List<Pair>>[] writesOf;
    final Map<String, List<Pair>>[] readsOf;
    final Map<OpType, Map<String, Set<Object>>> writesByType = new EnumMap<>(OpType.class);
    final Map<OpType, Map<String, Set<Object>>> readsByType = new EnumMap<>(OpType.class);
    final Map<String, Map<Object, Op>> writerOf = new HashMap<>();
    final Map<String, Map<Object, List<Op>>> readersOf = new HashMap<>();
    final Map<String, VersionOrder> orders = new TreeMap<>();
    final TreeMap<String, Object> errors = new TreeMap<>();

    Analysis(History history) {
      this.history = history;
      this.ops = history.clientOps();
      this.writesOf = newArray(history.size());
      this.readsOf = newArray(history.size());
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<Pair>>[] newArray(int n) {
      return (Map<String, List<Pair>>[]) new Map<?, ?>[n];
    }

    Map<String, List<Pair>> writes(Op op) {
      Map<String, List<Pair>> m = writesOf[op.index()];
      return m == null ? Map.of() : m;
    }

    Map<String, List<Pair>> reads(Op op) {
      Map<String, List<Pair>> m = readsOf[op.index()];
      return m == null ? Map.of() : m;
    }

    Map<String, Object> run() {
      parse();
      versionOrders();
      duplicates();
      g1a();
      lostWrites();
      pollSkips();
      intPolls();
      nonmonotonicSends();
      unseen();
      cycles();

      List<String> errorTypes = new ArrayList<>(errors.keySet());
      List<String> bad = new ArrayList<>();
      for (String t : errorTypes) if (!ALLOWED.contains(t)) bad.add(t);
      Set<Object> infoCauses = new LinkedHashSet<>();
      for (Op op : ops) if (op.isInfo() && KafkaOps.isSendOrPoll(op)) infoCauses.add(op.error());

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("valid?", bad.isEmpty());
      result.put("worst-realtime-lag", worstRealtimeLag(Long.MIN_VALUE));
      result.put("bad-error-types", bad);
      result.put("error-types", errorTypes);
      result.put("info-txn-causes", new ArrayList<>(infoCauses));
      result.putAll(errors);
      return result;
    }

    void parse() {
      for (Op op : ops) {
        if (op.isInvoke()) continue;
        Map<String, List<Pair>> w = KafkaOps.writePairs(op);
        Map<String, List<Pair>> r = KafkaOps.readPairs(op);
        if (!w.isEmpty()) writesOf[op.index()] = w;
        if (!r.isEmpty()) readsOf[op.index()] = r;
        w.forEach((k, ps) -> {
          Set<Object> s = writesByType.computeIfAbsent(op.type(), t -> new HashMap<>()).computeIfAbsent(k, x -> new HashSet<>());
          for (Pair p : ps) {
            s.add(p.value());
            writerOf.computeIfAbsent(k, x -> new HashMap<>()).put(p.value(), op);
          }
        });
        r.forEach((k, ps) -> {
          Set<Object> s = readsByType.computeIfAbsent(op.type(), t -> new HashMap<>()).computeIfAbsent(k, x -> new HashSet<>());
          for (Pair p : ps) {
            s.add(p.value());
            List<Op> rs = readersOf.computeIfAbsent(k, x -> new HashMap<>()).computeIfAbsent(p.value(), x -> new ArrayList<>());
            if (rs.isEmpty() || rs.get(rs.size() - 1) != op) rs.add(op);
          }
        });
      }
    }

    boolean mustHaveCommitted(Op op) {
      if (op.isOk()) return true;
      if (!op.isInfo()) return false;
      Map<String, Set<Object>> ok = readsByType.getOrDefault(OpType.OK, Map.of());
      for (Map.Entry<String, List<Pair>> e : writes(op).entrySet()) {
        Set<Object> okVs = ok.getOrDefault(e.getKey(), Set.of());
        for (Pair p : e.getValue()) if (okVs.contains(p.value())) return true;
      }
      return false;
    }

    // ------------------------------------------------------------------ version orders

    void versionOrders() {
      for (Op op : ops) {
        if (op.isInvoke() || !KafkaOps.isSendOrPoll(op)) continue;
        if (mustHaveCommitted(op)) {
          writes(op).forEach((k, ps) -> {
            for (Pair p : ps) if (p.offset() != null) order(k).add(p.offset(), p.value());
          });
        }
        reads(op).forEach((k, ps) -> {
          for (Pair p : ps) if (p.offset() != null) order(k).add(p.offset(), p.value());
        });
      }
      List<Map<String, Object>> errs = new ArrayList<>();
      orders.forEach((k, vo) -> {
        vo.index();
        int index = 0;
        for (Map.Entry<Long, LinkedHashSet<Object>> e : vo.log.entrySet()) {
          if (e.getValue().size() > 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("offset", e.getKey());
            m.put("index", (long) index);
            m.put("values", sorted(e.getValue()));
            errs.add(m);
          }
          index++;
        }
      });
      if (!errs.isEmpty()) {
        errs.sort(Comparator.comparingInt(m -> ((List<?>) m.get("values")).size()));
        errors.put("inconsistent-offsets", condense(errs, 32, false));
      }
    }

    VersionOrder order(String k) {
      return orders.computeIfAbsent(k, x -> new VersionOrder());
    }

    // ------------------------------------------------------------------ simple analyses

    void duplicates() {
      List<Map<String, Object>> errs = new ArrayList<>();
      orders.forEach((k, vo) -> {
        Map<Object, List<Long>> offsetsOf = new LinkedHashMap<>();
        vo.log.forEach((offset, vs) -> {
          for (Object v : vs) offsetsOf.computeIfAbsent(v, x -> new ArrayList<>()).add(offset);
        });
        offsetsOf.forEach((v, offs) -> {
          if (offs.size() > 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("value", v);
            m.put("count", (long) offs.size());
            m.put("offsets", offs);
            errs.add(m);
          }
        });
      });
      if (!errs.isEmpty()) {
        errs.sort(Comparator.comparingLong(m -> (Long) m.get("count")));
        errors.put("duplicate", condense(errs, 32, false));
      }
    }

    void g1a() {
      Map<String, Set<Object>> failed = writesByType.getOrDefault(OpType.FAIL, Map.of());
      List<Map<String, Object>> errs = new ArrayList<>();
      for (Op op : ops) {
        if (!op.isOk()) continue;
        reads(op).forEach((k, ps) -> {
          for (Pair p : ps) {
            if (failed.getOrDefault(k, Set.of()).contains(p.value())) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("key", k);
              m.put("value", p.value());
              m.put("writer", opMap(writerOf.get(k).get(p.value())));
              m.put("reader", opMap(op));
              errs.add(m);
            }
          }
        });
      }
      if (!errs.isEmpty()) errors.put("G1a", condense(errs, Integer.MAX_VALUE, false));
    }

    void lostWrites() {
      List<Map<String, Object>> errs = new ArrayList<>();
      Map<String, Set<Object>> okReads = readsByType.getOrDefault(OpType.OK, Map.of());
      for (Map.Entry<String, Set<Object>> e : new TreeMap<>(okReads).entrySet()) {
        String k = e.getKey();
        Set<Object> vs = e.getValue();
        VersionOrder vo = orders.get(k);
        if (vo == null) continue;
        int bound = -1;
        for (Object v : vs) {
          Integer i = vo.firstIndex.get(v);
          if (i != null) bound = Math.max(bound, i);
        }
        // Jepsen would fail on (nth ... -1) here; with nothing bounded there is nothing to lose.
        if (bound < 0) continue;
        Object maxReadValue = vo.lastIndexValues.get(bound).isEmpty() ? null : vo.lastIndexValues.get(bound).get(0);
        List<Op> maxReaders = maxReadValue == null ? null : readersOf.getOrDefault(k, Map.of()).get(maxReadValue);
        Op maxRead = maxReaders == null || maxReaders.isEmpty() ? null : maxReaders.get(0);
        for (int i = 0; i <= bound; i++) {
          for (Object v : vo.lastIndexValues.get(i)) {
            if (vs.contains(v)) continue;
            Op w = writerOf.getOrDefault(k, Map.of()).get(v);
            if (w == null) throw new NoWriterException(k, v);
            if (!mustHaveCommitted(w)) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("value", v);
            m.put("index", vo.firstIndex.get(v).longValue());
            m.put("max-read-index", (long) bound);
            m.put("writer", opMap(w));
            m.put("max-read", opMap(maxRead));
            errs.add(m);
          }
        }
      }
      if (!errs.isEmpty()) errors.put("lost-write", condense(errs, Integer.MAX_VALUE, false));
    }

    /** δ between two values of a key in its version order; 1 when either index is unknown. */
    long delta(String k, Object v1, Object v2) {
      VersionOrder vo = orders.get(k);
      Integer i1 = vo == null || v1 == null ? null : vo.index(v1);
      Integer i2 = vo == null || v2 == null ? null : vo.index(v2);
      return i1 != null && i2 != null ? i2 - i1 : 1;
    }

    List<Object> skipped(String k, Object v1, Object v2) {
      VersionOrder vo = orders.get(k);
      int i1 = vo.index(v1), i2 = vo.index(v2);
      return new ArrayList<>(vo.byIndex.subList(i1 + 1, i2));
    }

    void pollSkips() {
      List<Map<String, Object>> skips = new ArrayList<>();
      List<Map<String, Object>> nonmono = new ArrayList<>();
      Map<Long, Map<String, Op>> lastReads = new HashMap<>();
      for (Op op : ops) {
        Map<String, Op> last = lastReads.computeIfAbsent(op.process(), p -> new HashMap<>());
        if ("assign".equals(op.f()) || "subscribe".equals(op.f())) {
          if (op.isOk() || op.isInfo()) last.keySet().retainAll(new HashSet<>(KafkaOps.assignKeys(op)));
          continue;
        }
        if (!"poll".equals(op.f()) || op.isInvoke()) continue;
        Map<String, List<Pair>> reads = reads(op);
        for (Map.Entry<String, List<Pair>> e : reads.entrySet()) {
          String k = e.getKey();
          Op lastOp = last.get(k);
          if (lastOp == null) continue;
          List<Pair> prev = reads(lastOp).get(k);
          Object v = prev == null || prev.isEmpty() ? null : prev.get(prev.size() - 1).value();
          Object v2 = e.getValue().isEmpty() ? null : e.getValue().get(0).value();
          long d = delta(k, v, v2);
          if (d > 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("delta", d);
            m.put("skipped", skipped(k, v, v2));
            m.put("ops", List.of(opMap(lastOp), opMap(op)));
            skips.add(m);
          } else if (d < 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("values", Arrays.asList(v, v2));
            m.put("delta", d);
            m.put("ops", List.of(opMap(lastOp), opMap(op)));
            nonmono.add(m);
          }
        }
        if (op.isOk()) for (String k : reads.keySet()) last.put(k, op);
      }
      if (!skips.isEmpty()) errors.put("poll-skip", condense(byDelta(skips), 8, true));
      if (!nonmono.isEmpty()) errors.put("nonmonotonic-poll", condense(byDelta(nonmono), 8, false));
    }

    void intPolls() {
      List<Map<String, Object>> skips = new ArrayList<>();
      List<Map<String, Object>> nonmono = new ArrayList<>();
      for (Op op : ops) {
        reads(op).forEach((k, ps) -> {
          for (int i = 0; i + 1 < ps.size(); i++) {
            Object v1 = ps.get(i).value(), v2 = ps.get(i + 1).value();
            long d = delta(k, v1, v2);
            if (d == 1) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("values", Arrays.asList(v1, v2));
            m.put("delta", d);
            if (d > 1) m.put("skipped", skipped(k, v1, v2));
            m.put("op", opMap(op));
            (d > 1 ? skips : nonmono).add(m);
          }
        });
      }
      if (!skips.isEmpty()) errors.put("int-poll-skip", condense(byDelta(skips), 8, true));
      if (!nonmono.isEmpty()) errors.put("int-nonmonotonic-poll", condense(byDelta(nonmono), 8, false));
    }

    void nonmonotonicSends() {
      List<Map<String, Object>> errs = new ArrayList<>();
      Map<Long, Map<String, Op>> lastSends = new HashMap<>();
      for (Op op : ops) {
        if (!(op.isOk() || op.isInfo())) continue;
        Map<String, Op> last = lastSends.computeIfAbsent(op.process(), p -> new HashMap<>());
        if ("assign".equals(op.f()) || "subscribe".equals(op.f())) {
          last.keySet().retainAll(new HashSet<>(KafkaOps.assignKeys(op)));
          continue;
        }
        if (!"send".equals(op.f())) continue;
        Map<String, List<Pair>> sends = writes(op);
        sends.forEach((k, ps) -> {
          Op lastOp = last.get(k);
          if (lastOp == null || ps.isEmpty()) return;
          List<Pair> prev = writes(lastOp).get(k);
          Object v = prev.get(prev.size() - 1).value();
          Object v2 = ps.get(0).value();
          long d = delta(k, v, v2);
          if (d < 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("values", Arrays.asList(v, v2));
            m.put("delta", d);
            m.put("ops", List.of(opMap(lastOp), opMap(op)));
            errs.add(m);
          }
        });
        for (String k : sends.keySet()) last.put(k, op);
      }
      if (!errs.isEmpty()) errors.put("nonmonotonic-send", condense(byDelta(errs), 8, false));
    }

    void unseen() {
      Map<String, Set<Object>> unseen = new TreeMap<>();
      long time = 0;
      boolean any = false;
      for (Op op : ops) {
        if (!op.isOk() || !KafkaOps.isSendOrPoll(op)) continue;
        any = true;
        time = op.time();
        writes(op).forEach((k, ps) -> {
          for (Pair p : ps) unseen.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(p.value());
        });
        reads(op).forEach((k, ps) -> {
          Set<Object> s = unseen.get(k);
          if (s != null) for (Pair p : ps) s.remove(p.value());
        });
      }
      // Values sent after being polled (a poll returning a message before its send completed) are
      // removed by the poll only if the poll comes later; re-check against every ok read, as Jepsen's
      // set difference against all polled values so far does.
      Map<String, Set<Object>> okReads = readsByType.getOrDefault(OpType.OK, Map.of());
      unseen.forEach((k, s) -> s.removeAll(okReads.getOrDefault(k, Set.of())));
      if (!any) return;
      Map<String, Object> counts = new TreeMap<>();
      Map<String, Object> messages = new TreeMap<>();
      unseen.forEach((k, s) -> {
        if (s.isEmpty()) return;
        counts.put(k, (long) s.size());
        List<Object> vs = sorted(s);
        messages.put(k, vs.size() > 32 ? new ArrayList<>(vs.subList(0, 32)) : vs);
      });
      if (counts.isEmpty()) return;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", time);
      m.put("unseen", counts);
      m.put("messages", messages);
      errors.put("unseen", m);
    }

    // ------------------------------------------------------------------ realtime lag

    /** Jepsen's realtime-lag + worst-realtime-lag, over polls invoked at or after {@code fromNanos}. */
    Map<String, Object> worstRealtimeLag(long fromNanos) {
      // Per key, the successive maxima of known offsets and the time each became known: offset i "expired"
      // (stopped being the tail) at the time of the first ok op proving offset i+1 exists.
      Map<String, List<long[]>> known = new HashMap<>();
      for (Op op : ops) {
        if (op.isInvoke()) continue;
        for (Map.Entry<String, Long> e : maxOffsets(op).entrySet()) {
          List<long[]> l = known.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
          if (l.isEmpty() || l.get(l.size() - 1)[0] < e.getValue()) l.add(new long[] {e.getValue(), op.time()});
        }
      }
      Map<Long, Map<String, Long>> processOffsets = new HashMap<>();
      Map<String, Object> worst = null;
      long worstLag = -1;
      for (Op op : ops) {
        if (!op.isOk()) continue;
        if ("assign".equals(op.f())) {
          Map<String, Long> old = processOffsets.getOrDefault(op.process(), Map.of());
          Map<String, Long> now = new LinkedHashMap<>();
          for (String k : KafkaOps.assignKeys(op)) now.put(k, old.getOrDefault(k, -1L));
          processOffsets.put(op.process(), now);
        } else if ("subscribe".equals(op.f())) {
          processOffsets.put(op.process(), new LinkedHashMap<>());
        } else if ("poll".equals(op.f())) {
          Op inv = history.pairOf(op);
          long invokeTime = inv == null ? op.time() : inv.time();
          Map<String, Long> offsets = processOffsets.computeIfAbsent(op.process(), p -> new LinkedHashMap<>());
          maxOffsets(op).forEach((k, o) -> offsets.merge(k, o, Math::max));
          for (Map.Entry<String, Long> e : offsets.entrySet()) {
            long expiredAt = expiredAt(known.get(e.getKey()), e.getValue() + 1);
            long lag = expiredAt == Long.MAX_VALUE ? 0 : Math.max(0, invokeTime - expiredAt);
            if (lag > worstLag && invokeTime >= fromNanos) {
              worstLag = lag;
              worst = new LinkedHashMap<>();
              worst.put("time", invokeTime / 1e9);
              worst.put("process", op.process());
              worst.put("key", e.getKey());
              worst.put("lag", lag / 1e9);
            }
          }
        }
      }
      if (worst == null) {
        worst = new LinkedHashMap<>();
        worst.put("time", 0L);
        worst.put("lag", 0L);
      }
      return worst;
    }

    /** {@link KafkaOps#maxOffsets} from the already parsed pairs. */
    Map<String, Long> maxOffsets(Op op) {
      Map<String, Long> out = new HashMap<>();
      if (!(op.isOk() || op.isInfo())) return out;
      reads(op).forEach((k, ps) -> {
        long max = -1;
        for (Pair p : ps) if (p.offset() != null) max = Math.max(max, p.offset());
        out.merge(k, max, Math::max);
      });
      writes(op).forEach((k, ps) -> {
        for (Pair p : ps) if (p.offset() != null) out.merge(k, p.offset(), Math::max);
      });
      return out;
    }

    /** Time at which offset {@code i} was first known to exist, or MAX_VALUE. */
    static long expiredAt(List<long[]> maxima, long i) {
      if (maxima == null) return Long.MAX_VALUE;
      int lo = 0, hi = maxima.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (maxima.get(mid)[0] >= i) hi = mid;
        else lo = mid + 1;
      }
      return lo < maxima.size() ? maxima.get(lo)[1] : Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ cycles

    static final int WR = 1, RT = 2;

    void cycles() {
      Graph<Integer, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
      Map<Long, Integer> labels = new HashMap<>();
      Map<Long, Object[]> wrWhy = new HashMap<>();
      // wr: the writer of each polled value → each completion that polled it.
      readersOf.forEach((k, byValue) -> byValue.forEach((v, readers) -> {
        Op w = writerOf.getOrDefault(k, Map.of()).get(v);
        if (w == null) throw new NoWriterException(k, v);
        for (Op r : readers) {
          if (r == w) continue;
          long key = edge(g, labels, w.index(), r.index(), WR);
          wrWhy.putIfAbsent(key, new Object[] {k, v});
        }
      }));
      // realtime, transitively reduced as Elle builds it (see OrderGraphs), over send/poll ops only.
      LinkedHashSet<Integer> frontier = new LinkedHashSet<>();
      Map<Integer, List<Integer>> predsAtInvoke = new HashMap<>();
      for (Op op : ops) {
        if (!KafkaOps.isSendOrPoll(op)) continue;
        if (op.isInvoke()) {
          Op c = history.pairOf(op);
          if (c == null) continue;
          List<Integer> preds = new ArrayList<>(frontier);
          predsAtInvoke.put(c.index(), preds);
          for (int a : preds) edge(g, labels, a, c.index(), RT);
        } else if (op.isOk()) {
          List<Integer> preds = predsAtInvoke.remove(op.index());
          if (preds != null) preds.forEach(frontier::remove);
          frontier.add(op.index());
        }
      }
      if (g.vertexSet().isEmpty()) {
        errors.put("empty-transaction-graph", true);
        return;
      }
      // Every component is explained (each BFS stays inside its component, so this is linear overall) and
      // counted; like Jepsen's condensed errors, each type keeps its shortest cycles as examples.
      Map<String, List<Map<String, Object>>> byType = new TreeMap<>();
      for (Set<Integer> scc : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
        if (scc.size() < 2) continue;
        Map<String, Object> c = explainCycle(g, labels, wrWhy, scc);
        byType.computeIfAbsent((String) c.get("type"), t -> new ArrayList<>()).add(c);
      }
      byType.forEach((t, cs) -> {
        cs.sort(Comparator.comparingInt(c -> ((List<?>) c.get("cycle")).size()));
        errors.put(t, condense(cs, MAX_CYCLE_EXAMPLES, false));
      });
    }

    /** How many example cycles each cycle type keeps (the rest are only counted). */
    static final int MAX_CYCLE_EXAMPLES = 8;

    static long edge(Graph<Integer, DefaultEdge> g, Map<Long, Integer> labels, int a, int b, int label) {
      g.addVertex(a);
      g.addVertex(b);
      g.addEdge(a, b);
      long key = ((long) a << 32) | (b & 0xffffffffL);
      labels.merge(key, label, (x, y) -> x | y);
      return key;
    }

    /** A shortest cycle through the SCC's smallest vertex (BFS inside the SCC), classified as Elle would. */
    Map<String, Object> explainCycle(
        Graph<Integer, DefaultEdge> g, Map<Long, Integer> labels, Map<Long, Object[]> wrWhy, Set<Integer> scc) {
      int start = new TreeSet<>(scc).first();
      Map<Integer, Integer> parent = new HashMap<>();
      ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
      Integer last = null;
      while (!queue.isEmpty() && last == null) {
        int u = queue.poll();
        for (DefaultEdge e : g.outgoingEdgesOf(u)) {
          int v = g.getEdgeTarget(e);
          if (!scc.contains(v)) continue;
          if (v == start) {
            last = u;
            break;
          }
          if (!parent.containsKey(v)) {
            parent.put(v, u);
            queue.add(v);
          }
        }
      }
      List<Integer> path = new ArrayList<>();
      for (Integer x = last; x != null && x != start; x = parent.get(x)) path.add(0, x);
      path.add(0, start);
      List<Map<String, Object>> cycle = new ArrayList<>();
      List<Map<String, Object>> steps = new ArrayList<>();
      boolean wr = false, rt = false;
      for (int i = 0; i < path.size(); i++) {
        int a = path.get(i), b = path.get((i + 1) % path.size());
        cycle.add(opMap(history.get(a)));
        long key = ((long) a << 32) | (b & 0xffffffffL);
        int l = labels.get(key);
        Map<String, Object> step = new LinkedHashMap<>();
        if ((l & WR) != 0) {
          wr = true;
          Object[] why = wrWhy.get(key);
          step.put("type", "wr");
          step.put("key", why[0]);
          step.put("value", why[1]);
        } else {
          rt = true;
          step.put("type", "realtime");
          step.put("a'", opMap(history.get(a)));
          step.put("b", opMap(history.get(b)));
        }
        steps.add(step);
      }
      cycle.add(opMap(history.get(start)));
      String type = (wr ? "G1c" : "G0") + (rt ? "-realtime" : "");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", type);
      m.put("cycle", cycle);
      m.put("steps", steps);
      return m;
    }

    // ------------------------------------------------------------------ output helpers

    static List<Map<String, Object>> byDelta(List<Map<String, Object>> errs) {
      errs.sort(Comparator.comparingLong(m -> (Long) m.get("delta")));
      return errs;
    }

    /** Jepsen's condense-error: {count, errs} with the first (or, for skips, last) n examples. */
    static Map<String, Object> condense(List<Map<String, Object>> errs, int n, boolean takeLast) {
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
}
