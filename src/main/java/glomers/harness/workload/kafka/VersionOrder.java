package glomers.harness.workload.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One key's version order, as Jepsen's kafka checker builds it: log offset → values seen there, then each
 * non-empty offset replaced by its <i>dense index</i> (rank among non-empty offsets), so holes in the offsets
 * never count as skips.
 */
final class VersionOrder {
  /** Offset → the values seen there, in the order first seen; offsets sorted once {@link #index} ran. */
  final TreeMap<Long, LinkedHashSet<Object>> log = new TreeMap<>();
  /** The same sets by offset while they are collected (a key's offsets are seen many times over). */
  private final Map<Long, LinkedHashSet<Object>> collecting = new HashMap<>();
  /** Dense index → the value standing for that offset (Elle takes an arbitrary one; we take the first seen). */
  final List<Object> byIndex = new ArrayList<>();
  final Map<Object, Integer> byValue = new HashMap<>();
  final Map<Object, Integer> firstIndex = new HashMap<>();
  /** Dense index → values whose last appearance is there. */
  final List<List<Object>> lastIndexValues = new ArrayList<>();

  void add(long offset, Object value) {
    collecting.computeIfAbsent(offset, o -> new LinkedHashSet<>()).add(value);
  }

  /** Computes the dense indices once every offset is known. */
  void index() {
    log.putAll(collecting);
    collecting.clear();
    int i = 0;
    Map<Object, Integer> lastIndex = new LinkedHashMap<>();
    for (Set<Object> values : log.values()) {
      Object chosen = values.iterator().next();
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
