package glomers.harness.workload.kafka;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.kafka.KafkaOps.Pair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one index of a kafka history that every analysis of {@link KafkaChecker} reads (Jepsen's
 * {@code analysis} map): each completion's sent and polled pairs, who sent and who polled each value, the
 * values sent and polled by completion type, and the per-key {@link VersionOrder}s. Built in two linear
 * passes, never changed afterwards.
 */
final class KafkaIndex {
  final History history;
  /** Client entries in history order. */
  final List<Op> ops;
  private final Map<String, List<Pair>>[] writesOf;
  private final Map<String, List<Pair>>[] readsOf;
  private final Map<String, Long>[] maxOffsetsOf;
  private final Map<OpType, Map<String, Set<Object>>> writesByType = new EnumMap<>(OpType.class);
  private final Map<OpType, Map<String, Set<Object>>> readsByType = new EnumMap<>(OpType.class);
  /** Key → value → the completion that sent it. */
  final Map<String, Map<Object, Op>> writerOf = new HashMap<>();
  /** Key → value → the completions that polled it, in history order. */
  final Map<String, Map<Object, List<Op>>> readersOf = new HashMap<>();
  /** Key → version order, keys sorted. */
  final Map<String, VersionOrder> orders = new TreeMap<>();

  /** Thrown when a poll returned a value no op ever sent (Jepsen's {@code :no-writer-of-value}). */
  static final class NoWriterException extends RuntimeException {
    NoWriterException(String k, Object v) {
      super("no-writer-of-value: key " + k + " value " + v);
    }
  }

  KafkaIndex(History history) {
    this.history = history;
    this.ops = history.clientOps();
    this.writesOf = newArray(history.size());
    this.readsOf = newArray(history.size());
    this.maxOffsetsOf = newArray(history.size());
    parse();
    versionOrders();
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V>[] newArray(int n) {
    return (Map<String, V>[]) new Map<?, ?>[n];
  }

  /** Key → pairs this op sent (empty for anything but a send completion). */
  Map<String, List<Pair>> writes(Op op) {
    Map<String, List<Pair>> m = writesOf[op.index()];
    return m == null ? Map.of() : m;
  }

  /** Key → pairs this op polled, in poll order (empty for anything but a poll completion). */
  Map<String, List<Pair>> reads(Op op) {
    Map<String, List<Pair>> m = readsOf[op.index()];
    return m == null ? Map.of() : m;
  }

  /** Key → values sent by completions of {@code type}. */
  Map<String, Set<Object>> writesBy(OpType type) {
    return writesByType.getOrDefault(type, Map.of());
  }

  /** Key → values polled by completions of {@code type}. */
  Map<String, Set<Object>> readsBy(OpType type) {
    return readsByType.getOrDefault(type, Map.of());
  }

  /** The completion that sent {@code v} to {@code k}; throws when nobody did. */
  Op writer(String k, Object v) {
    Op w = writerOf.getOrDefault(k, Map.of()).get(v);
    if (w == null) throw new NoWriterException(k, v);
    return w;
  }

  private void parse() {
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

  /** Ok, or info with a sent value that some ok poll returned. */
  boolean mustHaveCommitted(Op op) {
    if (op.isOk()) return true;
    if (!op.isInfo()) return false;
    Map<String, Set<Object>> ok = readsBy(OpType.OK);
    for (Map.Entry<String, List<Pair>> e : writes(op).entrySet()) {
      Set<Object> okVs = ok.getOrDefault(e.getKey(), Set.of());
      for (Pair p : e.getValue()) if (okVs.contains(p.value())) return true;
    }
    return false;
  }

  /** Offsets from sends that must have committed, and from every poll. */
  private void versionOrders() {
    for (Op op : ops) {
      if (op.isInvoke() || !KafkaOps.isSendOrPoll(op)) continue;
      if (mustHaveCommitted(op)) writes(op).forEach(this::addOffsets);
      reads(op).forEach(this::addOffsets);
    }
    orders.values().forEach(VersionOrder::index);
  }

  private void addOffsets(String k, List<Pair> ps) {
    VersionOrder vo = null;
    for (Pair p : ps) {
      if (p.offset() == null) continue;
      if (vo == null) vo = orders.computeIfAbsent(k, x -> new VersionOrder());
      vo.add(p.offset(), p.value());
    }
  }

  /** δ between two values of a key in its version order; 1 when either index is unknown. */
  long delta(String k, Object v1, Object v2) {
    VersionOrder vo = orders.get(k);
    Integer i1 = vo == null || v1 == null ? null : vo.index(v1);
    Integer i2 = vo == null || v2 == null ? null : vo.index(v2);
    return i1 != null && i2 != null ? i2 - i1 : 1;
  }

  /** The values strictly between v1 and v2 in k's version order. */
  List<Object> skipped(String k, Object v1, Object v2) {
    VersionOrder vo = orders.get(k);
    int i1 = vo.index(v1), i2 = vo.index(v2);
    return new ArrayList<>(vo.byIndex.subList(i1 + 1, i2));
  }

  /** {@link KafkaOps#maxOffsets} from the already parsed pairs (computed once per op; read-only). */
  Map<String, Long> maxOffsets(Op op) {
    Map<String, Long> m = maxOffsetsOf[op.index()];
    if (m == null) maxOffsetsOf[op.index()] = m = computeMaxOffsets(op);
    return m;
  }

  private Map<String, Long> computeMaxOffsets(Op op) {
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
}
