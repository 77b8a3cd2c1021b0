package glomers.harness.workload.txn;

import static glomers.harness.check.Anomalies.map;

import glomers.harness.check.Anomalies;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Elle's {@code lost-update}, the same for registers and lists: two or more ok transactions read the same
 * version of a key (their first read of it) and then both wrote that key, so one write was made without
 * seeing the other. Feed it the ok transactions in history order, then {@link #report} the cases.
 */
final class LostUpdates {
  private final UnaryOperator<Object> version;
  /** (key, version read) → the ok txns that read it first and then wrote the key. */
  private final Map<List<Object>, List<Op>> readThenWrote = new LinkedHashMap<>();

  /** {@code version} names the version a read value stands for (a list's unread {@code null} is []). */
  LostUpdates(UnaryOperator<Object> version) {
    this.version = version;
  }

  void add(Op op, List<Mop> mops) {
    Map<Object, Object> firstRead = new HashMap<>();
    Set<Object> done = new HashSet<>();
    for (Mop m : mops) {
      if (m.isRead() && !firstRead.containsKey(m.key())) firstRead.put(m.key(), version.apply(m.value()));
      if (m.isWrite() && firstRead.containsKey(m.key()) && done.add(m.key())) {
        readThenWrote.computeIfAbsent(Arrays.asList(m.key(), firstRead.get(m.key())), k -> new ArrayList<>()).add(op);
      }
    }
  }

  void report(Map<String, List<Object>> anomalies) {
    for (Map.Entry<List<Object>, List<Op>> e : readThenWrote.entrySet()) {
      if (e.getValue().size() < 2) continue;
      List<Object> txns = new ArrayList<>();
      for (Op o : e.getValue()) txns.add(o.toMap());
      Anomalies.add(anomalies, "lost-update", map("key", e.getKey().get(0), "value", e.getKey().get(1), "txns", txns));
    }
  }
}
