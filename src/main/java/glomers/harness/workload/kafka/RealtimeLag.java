package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's {@code realtime-lag} and {@code worst-realtime-lag}: for every ok poll, how long before its
 * invocation the next offset after the process's position (per assigned key) was already known to exist.
 */
final class RealtimeLag {
  private RealtimeLag() {}

  /** The worst lag among polls invoked at or after {@code fromNanos}, as {@code {time, process, key, lag}}. */
  static Map<String, Object> worst(KafkaIndex index, long fromNanos) {
    Map<String, List<long[]>> known = knownOffsets(index);
    Map<Long, Map<String, Long>> processOffsets = new HashMap<>();
    Map<String, Object> worst = null;
    long worstLag = -1;
    for (Op op : index.ops) {
      if (!op.isOk()) continue;
      if ("assign".equals(op.f())) {
        Map<String, Long> old = processOffsets.getOrDefault(op.process(), Map.of());
        Map<String, Long> now = new LinkedHashMap<>();
        for (String k : KafkaOps.assignKeys(op)) now.put(k, old.getOrDefault(k, -1L));
        processOffsets.put(op.process(), now);
      } else if ("subscribe".equals(op.f())) {
        processOffsets.put(op.process(), new LinkedHashMap<>());
      } else if ("poll".equals(op.f())) {
        Op inv = index.history.pairOf(op);
        long invokeTime = inv == null ? op.time() : inv.time();
        Map<String, Long> offsets = processOffsets.computeIfAbsent(op.process(), p -> new LinkedHashMap<>());
        index.maxOffsets(op).forEach((k, o) -> offsets.merge(k, o, Math::max));
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

  /**
   * Per key, the successive maxima of known offsets and the time each became known: offset i "expired"
   * (stopped being the tail) at the time of the first completion proving offset i+1 exists.
   */
  private static Map<String, List<long[]>> knownOffsets(KafkaIndex index) {
    Map<String, List<long[]>> known = new HashMap<>();
    for (Op op : index.ops) {
      if (op.isInvoke()) continue;
      for (Map.Entry<String, Long> e : index.maxOffsets(op).entrySet()) {
        List<long[]> l = known.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
        if (l.isEmpty() || l.get(l.size() - 1)[0] < e.getValue()) l.add(new long[] {e.getValue(), op.time()});
      }
    }
    return known;
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
}
