package glomers.harness.report;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The numbers behind every chart of the report, computed from a {@link RunData} without drawing anything, so each
 * can be unit-tested on hand-built histories and journals. Times are seconds since the test started (the history's
 * clock), latencies milliseconds.
 */
final class ReportData {
  private ReportData() {}

  /** One client operation: invoked at {@code tSec}, completed {@code latencyMs} later with {@code outcome}. */
  record LatencyPoint(double tSec, double latencyMs, OpType outcome, String f, int invokeIndex, int completeIndex) {}

  /** A shaded period, e.g. a network partition, {@code [startSec, endSec)}. */
  record Period(double startSec, double endSec, String label, String kind) {
    Period(double startSec, double endSec, String label) {
      this(startSec, endSec, label, "partition");
    }
  }

  /** Each fault kind's shading on the charts and its legend word (docs/faults.md#the-fault-nemeses). */
  static final Map<String, String> FAULT_COLOURS = Map.of("partition", "grey", "kill", "red", "pause", "blue",
      "duplicate", "purple");

  /** Quantiles of one latency population in ms ({@code count} = 0 → all NaN). */
  record Quantiles(long count, double p50, double p95, double p99, double max) {}

  /** Every paired client operation (pending invocations have no latency and are left out). */
  static List<LatencyPoint> latencies(History h) {
    List<LatencyPoint> out = new ArrayList<>();
    for (Op o : h.ops()) {
      if (!o.isClient() || !o.isInvoke()) continue;
      Op c = h.pairOf(o);
      if (c == null) continue;
      out.add(new LatencyPoint(o.time() / 1e9, Math.max(0, c.time() - o.time()) / 1e6, c.type(), o.f(), o.index(), c.index()));
    }
    return out;
  }

  /** When the run ended: the latest history or journal time, in seconds (at least a millisecond). */
  static double endSeconds(RunData run) {
    long end = 0;
    List<Op> ops = run.history().ops();
    if (!ops.isEmpty()) end = ops.get(ops.size() - 1).time();
    for (Op o : ops) end = Math.max(end, o.time());
    for (NetMessage m : run.messages()) end = Math.max(end, Math.max(m.sendNanos(), m.recvNanos()));
    return Math.max(end / 1e9, 0.001);
  }

  /**
   * Partition periods from the nemesis ops. Maelstrom records each nemesis action as an {@code :info} pair
   * (invocation, completion) with the same {@code f}; a period opens at the first {@code start…} op while none is
   * open and closes at the last op of the following run of {@code stop…} ops (the completion, when the partition
   * is surely healed). A period still open at the end of the history extends to {@code endSec}. The label is the
   * start completion's value (the grudge, e.g. which node was cut off), when it has one.
   */
  static List<Period> partitions(History h, double endSec) {
    List<Period> out = new ArrayList<>();
    java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
    for (Op o : h.ops()) if (o.isNemesis() && o.f() != null && o.f().indexOf('-') > 0) kinds.add(kind(o.f()));
    if (kinds.isEmpty() || kinds.equals(java.util.Set.of("partition"))) return periods(h, endSec, null);
    for (String k : kinds) out.addAll(periods(h, endSec, k));
    out.sort(java.util.Comparator.comparingDouble(Period::startSec));
    return out;
  }

  private static String kind(String f) {
    return f.substring(f.indexOf('-') + 1);
  }

  /** The periods of one fault kind ({@code null}: every nemesis op, as for a partition-only history). */
  private static List<Period> periods(History h, double endSec, String kind) {
    String k = kind == null ? "partition" : kind;
    List<Period> out = new ArrayList<>();
    double openAt = -1;
    String label = "";
    double closeAt = -1;
    for (Op o : h.ops()) {
      if (!o.isNemesis() || o.f() == null) continue;
      if (kind != null && !(o.f().indexOf('-') > 0 && kind(o.f()).equals(kind))) continue;
      double t = o.time() / 1e9;
      if (o.f().startsWith("start")) {
        if (closeAt >= 0) {
          out.add(new Period(openAt, closeAt, label, k));
          openAt = -1;
          closeAt = -1;
        }
        if (openAt < 0) {
          openAt = t;
          label = "";
        }
        if (o.value() != null && !(o.value() instanceof String s && s.isEmpty())) label = describe(o.value());
      } else if (o.f().startsWith("stop") && openAt >= 0) {
        closeAt = t;
      }
    }
    if (openAt >= 0) out.add(new Period(openAt, closeAt >= 0 ? closeAt : Math.max(endSec, openAt), label, k));
    return out;
  }

  private static String describe(Object v) {
    String s = glomers.protocol.Json.write(v);
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }

  static int bucketCount(double endSec, double bucketSec) {
    return Math.max(1, (int) Math.ceil(endSec / bucketSec - 1e-9));
  }

  private static int bucketOf(double tSec, double bucketSec, int n) {
    int b = (int) Math.floor(tSec / bucketSec);
    return Math.min(Math.max(b, 0), n - 1);
  }

  /**
   * Completions per second by outcome, in buckets of {@code bucketSec} ({@code [i·b, (i+1)·b)}; a completion is
   * counted in the bucket of its completion time). Keys: ok, fail, info, in that order.
   */
  static Map<OpType, double[]> throughput(History h, double bucketSec, double endSec) {
    int n = bucketCount(endSec, bucketSec);
    Map<OpType, double[]> out = new LinkedHashMap<>();
    for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) out.put(t, new double[n]);
    for (Op o : h.ops()) {
      if (!o.isClient() || o.isInvoke()) continue;
      out.get(o.type())[bucketOf(o.time() / 1e9, bucketSec, n)] += 1 / bucketSec;
    }
    return out;
  }

  static final String CLIENTS = "client↔node";
  static final String NODES = "node↔node";
  static final String SERVICES = "node↔service";
  static final String DROPPED = "undelivered";

  /**
   * Messages sent per second by category, bucketed by send time: client↔node (requests and replies of the
   * harness's clients, incl. init/topology), node↔node, node↔service (seq-kv, lin-kv, …), and, separately, how many
   * of all those were never delivered (dropped by a partition or still in flight at the end).
   */
  static Map<String, double[]> messageRates(List<NetMessage> msgs, double bucketSec, double endSec) {
    int n = bucketCount(endSec, bucketSec);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String k : List.of(CLIENTS, NODES, SERVICES, DROPPED)) out.put(k, new double[n]);
    for (NetMessage m : msgs) {
      int b = bucketOf(m.sendNanos() / 1e9, bucketSec, n);
      String cat = m.isClient() ? CLIENTS : m.isNodeToNode() ? NODES : SERVICES;
      out.get(cat)[b] += 1 / bucketSec;
      if (!m.delivered()) out.get(DROPPED)[b] += 1 / bucketSec;
    }
    return out;
  }

  /**
   * Messages sent per second by each server endpoint (nodes, then services), bucketed by send time: the rows of the
   * per-node heat map. Client traffic is left out (it only mirrors the generator's rate); a node that goes quiet
   * (partitioned, crashed, stuck) or one that floods shows up as its own row.
   */
  static Map<String, double[]> perNodeSendRates(List<NetMessage> msgs, List<String> nodeIds, double bucketSec, double endSec) {
    int n = bucketCount(endSec, bucketSec);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String id : nodeIds) out.put(id, new double[n]);
    for (NetMessage m : msgs) {
      if (m.isClient()) continue;
      out.computeIfAbsent(m.src(), k -> new double[n])[bucketOf(m.sendNanos() / 1e9, bucketSec, n)] += 1 / bucketSec;
    }
    return out;
  }

  /** Message counts between every pair of endpoints (clients folded into one "clients" row/column). */
  static Map<String, Map<String, Long>> pairCounts(List<NetMessage> msgs) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    for (NetMessage m : msgs) {
      out.computeIfAbsent(lane(m.src()), k -> new HashMap<>()).merge(lane(m.dest()), 1L, Long::sum);
    }
    return out;
  }

  /** Clients are many and short-lived (a new one after every timeout), so they share one lane. */
  static String lane(String endpoint) {
    return NetMessage.isClientId(endpoint) ? "clients" : endpoint;
  }

  /** Latency quantiles (HdrHistogram, 3 significant digits) of the given points, ok ones only if {@code okOnly}. */
  static Quantiles quantiles(List<LatencyPoint> points, boolean okOnly) {
    Histogram hist = new Histogram(3);
    long n = 0;
    for (LatencyPoint p : points) {
      if (okOnly && p.outcome() != OpType.OK) continue;
      hist.recordValue(Math.max(0, Math.round(p.latencyMs() * 1000))); // microseconds
      n++;
    }
    if (n == 0) return new Quantiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Quantiles(
        n,
        hist.getValueAtPercentile(50) / 1000.0,
        hist.getValueAtPercentile(95) / 1000.0,
        hist.getValueAtPercentile(99) / 1000.0,
        hist.getMaxValue() / 1000.0);
  }

  /** One stable element of a set workload: when it became known, and how long until every read saw it. */
  record Stable(Object element, double knownSec, long latencyMs) {}

  /**
   * The per-element stable latencies of Jepsen's {@code set-full} checker
   * (docs/maelstrom.md#set-full-broadcast-g-set), recomputed from the history so the report can draw their whole
   * distribution (results.json only keeps five quantiles). {@code addF} is {@code "broadcast"} or {@code "add"}.
   * Returns null when the history is too large to do this quickly (elements × reads above 2·10⁹).
   */
  static List<Stable> stableLatencies(History h, String addF) {
    Map<Object, Integer> idx = new HashMap<>();
    List<Object> elements = new ArrayList<>();
    List<Integer> trackedAt = new ArrayList<>();
    List<Op> reads = new ArrayList<>();
    for (Op o : h.ops()) {
      if (!o.isClient()) continue;
      if (addF.equals(o.f()) && o.isInvoke() && !idx.containsKey(o.value())) {
        idx.put(o.value(), elements.size());
        elements.add(o.value());
        trackedAt.add(o.index());
      } else if ("read".equals(o.f()) && o.isOk() && o.value() instanceof List<?>) {
        reads.add(o);
      }
    }
    int e = elements.size();
    if ((long) e * reads.size() > 2_000_000_000L) return null;
    // Word-parallel version of the per-read, per-element walk: a read at history position p only concerns the
    // elements whose add was invoked before p (a prefix of `elements`, which are in invocation order).
    BitSet[] contains = new BitSet[reads.size()];
    // Broadcast values are small distinct integers: an array beats hashing boxed Longs for the millions of lookups.
    int[] dense = null;
    long denseMin = Long.MAX_VALUE, denseMax = Long.MIN_VALUE;
    boolean allLong = true;
    for (Object v : elements) {
      if (v instanceof Long l) {
        denseMin = Math.min(denseMin, l);
        denseMax = Math.max(denseMax, l);
      } else {
        allLong = false;
      }
    }
    if (allLong && e > 0 && denseMax - denseMin < 50_000_000L) {
      dense = new int[(int) (denseMax - denseMin + 1)];
      java.util.Arrays.fill(dense, -1);
      for (int i = 0; i < e; i++) dense[(int) ((Long) elements.get(i) - denseMin)] = i;
    }
    int[] prefix = new int[reads.size()];
    int[] invIndex = new int[reads.size()];
    int tracked = 0;
    for (int r = 0; r < reads.size(); r++) {
      Op read = reads.get(r);
      while (tracked < e && trackedAt.get(tracked) < read.index()) tracked++;
      prefix[r] = tracked;
      Op inv = h.pairOf(read);
      invIndex[r] = inv != null ? inv.index() : read.index();
    }
    // scanning every read's values is the bulk of the work (reads × set size); it splits cleanly across cores
    final int[] denseF = dense;
    final long minF = denseMin;
    java.util.stream.IntStream.range(0, reads.size()).parallel().forEach(r -> {
      BitSet b = new BitSet(prefix[r]);
      for (Object v : (List<?>) reads.get(r).value()) {
        int i = denseF != null ? (v instanceof Long l && l >= minF && l - minF < denseF.length ? denseF[(int) (l - minF)] : -1)
            : idx.getOrDefault(v, -1);
        if (i >= 0 && i < prefix[r]) b.set(i);
      }
      contains[r] = b;
    });
    int[] known = new int[e];
    java.util.Arrays.fill(known, -1);
    for (Op o : h.ops()) {
      if (o.isClient() && addF.equals(o.f()) && o.isOk()) {
        Op inv = h.pairOf(o);
        Integer i = idx.get(inv != null ? inv.value() : o.value());
        if (i != null && known[i] < 0) known[i] = o.index();
      }
    }
    // known = the earlier of the ok add and the first read (history order) that contained the element
    BitSet unseen = new BitSet(e);
    unseen.set(0, e);
    for (int r = 0; r < reads.size() && !unseen.isEmpty(); r++) {
      BitSet first = (BitSet) contains[r].clone();
      first.and(unseen);
      int pos = reads.get(r).index();
      for (int i = first.nextSetBit(0); i >= 0; i = first.nextSetBit(i + 1)) {
        if (known[i] < 0 || pos < known[i]) known[i] = pos;
      }
      unseen.andNot(first);
    }
    // last-present / last-absent = the latest-invoked read that did / did not contain the element
    Integer[] order = new Integer[reads.size()];
    for (int r = 0; r < order.length; r++) order[r] = r;
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(invIndex[b], invIndex[a]));
    int[] lastPresent = new int[e];
    int[] lastAbsent = new int[e];
    java.util.Arrays.fill(lastPresent, -1);
    java.util.Arrays.fill(lastAbsent, -1);
    BitSet needPresent = new BitSet(e);
    needPresent.set(0, e);
    BitSet needAbsent = (BitSet) needPresent.clone();
    for (int k = 0; k < order.length && !(needPresent.isEmpty() && needAbsent.isEmpty()); k++) {
      int r = order[k];
      BitSet p = (BitSet) contains[r].clone();
      p.and(needPresent);
      for (int i = p.nextSetBit(0); i >= 0; i = p.nextSetBit(i + 1)) lastPresent[i] = invIndex[r];
      needPresent.andNot(p);
      BitSet a = new BitSet(prefix[r]);
      a.set(0, prefix[r]);
      a.andNot(contains[r]);
      a.and(needAbsent);
      for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) lastAbsent[i] = invIndex[r];
      needAbsent.andNot(a);
    }
    List<Stable> out = new ArrayList<>();
    for (int i = 0; i < e; i++) {
      boolean stable = lastPresent[i] >= 0 && (lastAbsent[i] < 0 || lastAbsent[i] < lastPresent[i]);
      if (!stable || known[i] < 0) continue;
      long knownT = h.get(known[i]).time();
      long stableT = lastAbsent[i] >= 0 ? h.get(lastAbsent[i]).time() + 1 : 0;
      out.add(new Stable(elements.get(i), knownT / 1e9, Math.max(0, stableT - knownT) / 1_000_000));
    }
    return out;
  }

  /**
   * Operations a workload checker pointed at, by anomaly: every op-shaped map ({@code index}, {@code type},
   * {@code f}) found under the results' {@code workload} map, grouped by the key that names the anomaly (the key
   * under {@code anomalies} for Elle's txn checkers, the top-level key otherwise, e.g. kafka's {@code lost-write}
   * or broadcast's {@code worst-stale}). At most {@code perAnomaly} distinct ops per anomaly, in history order.
   */
  static Map<String, List<Map<String, Object>>> anomalyOps(Map<String, Object> workload, int perAnomaly) {
    Map<String, Map<Long, Map<String, Object>>> found = new LinkedHashMap<>();
    if (workload == null) return Map.of();
    for (Map.Entry<String, Object> e : workload.entrySet()) {
      if (e.getKey().equals("anomalies") && e.getValue() instanceof Map<?, ?> an) {
        for (Map.Entry<?, ?> a : an.entrySet()) collectOps(a.getValue(), found.computeIfAbsent(String.valueOf(a.getKey()), k -> new java.util.TreeMap<>()), perAnomaly);
      } else {
        collectOps(e.getValue(), found.computeIfAbsent(e.getKey(), k -> new java.util.TreeMap<>()), perAnomaly);
      }
    }
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Long, Map<String, Object>>> e : found.entrySet()) {
      if (!e.getValue().isEmpty()) out.put(e.getKey(), new ArrayList<>(e.getValue().values()));
    }
    return out;
  }

  static boolean isOpMap(Object o) {
    return o instanceof Map<?, ?> m && m.get("index") instanceof Number && m.get("type") instanceof String && m.containsKey("f");
  }

  @SuppressWarnings("unchecked")
  private static void collectOps(Object v, Map<Long, Map<String, Object>> into, int cap) {
    if (into.size() >= cap) return;
    if (isOpMap(v)) {
      Map<String, Object> m = (Map<String, Object>) v;
      into.putIfAbsent(((Number) m.get("index")).longValue(), m);
      return;
    }
    if (v instanceof Map<?, ?> m) for (Object x : m.values()) collectOps(x, into, cap);
    else if (v instanceof List<?> l) for (Object x : l) collectOps(x, into, cap);
  }

  /** The distinct {@code f}s of client ops, in order of first appearance. */
  static List<String> clientFs(History h) {
    Set<String> fs = new LinkedHashSet<>();
    for (Op o : h.ops()) if (o.isClient() && o.f() != null) fs.add(o.f());
    return new ArrayList<>(fs);
  }
}
