package glomers.harness.workload.txn;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one index of a list-append history that every analysis of {@link ListAppendChecker} reads, as Elle's
 * {@code list-append} builds it: the transactions by completion type, who appended each element, which
 * appends are intermediate, every distinct read of each key, and the version order of each key read off its
 * longest read. Built once; never changed afterwards.
 */
final class AppendIndex {
  /** Stands for the empty list: the "element" a read of [] ends at, and the predecessor of a first append. */
  static final Object INIT = new Object() {
    @Override
    public String toString() {
      return "init";
    }
  };

  /** A txn completion with its micro-ops (info completions: as invoked, reads unknown). */
  record Txn(Op op, List<Mop> mops) {}

  final History history;
  final List<Txn> ok = new ArrayList<>(), info = new ArrayList<>(), fail = new ArrayList<>();
  /** Ok and info: the transactions that may have happened. */
  final List<Txn> possible = new ArrayList<>();
  /** Key → element → the txn that appended it (any completion type). */
  final Map<Object, Map<Object, Txn>> writer = new HashMap<>();
  /** Key → element → the failed txn that appended it. */
  final Map<Object, Map<Object, Txn>> failedWriter = new HashMap<>();
  /** [key, element] → the txn for which that append was not its last to the key. */
  final Map<List<Object>, Txn> intermediate = new HashMap<>();
  /** Key → its distinct non-empty reads by possible txns (or the single append to the key, if only one). */
  final Map<Object, Set<List<?>>> reads = new LinkedHashMap<>();
  /** Key → element → the possible txn that appended it. */
  final Map<Object, Map<Object, Txn>> possibleWriter = new HashMap<>();
  /** Key → last element a read saw (INIT for []) → the possible txns that read exactly up to there. */
  final Map<Object, Map<Object, List<Txn>>> readersOf = new HashMap<>();
  /** Key → the version order: the longest read, distinct elements. */
  final Map<Object, List<Object>> order = new HashMap<>();
  private final Map<Object, Map<Object, Integer>> position = new HashMap<>();
  /** Txn completion index → txn, for the possible ones (the graph's vertices). */
  final Map<Integer, Txn> byIndex = new HashMap<>();

  AppendIndex(History h) {
    this.history = h;
    checkAppendsAreUnique(h);
    for (Op op : h.clientCompletions()) {
      if (!"txn".equals(op.f())) continue;
      List<Mop> mops = Mop.parse(op.value() == null || op.isInfo() ? valueOrInvocation(h, op) : op.value());
      for (Mop m : mops) checkKnown(m);
      (op.isOk() ? ok : op.isInfo() ? info : fail).add(new Txn(op, mops));
    }
    possible.addAll(ok);
    possible.addAll(info);
    indexWriters();
    indexReads();
    for (Txn t : possible) byIndex.put(t.op().index(), t);
  }

  /** Only r/append, and no element appended twice by invocations: else the analysis cannot interpret it. */
  private static void checkAppendsAreUnique(History h) {
    Set<List<Object>> appended = new HashSet<>();
    for (Op op : h.clientOps()) {
      if (!op.isInvoke() || !"txn".equals(op.f())) continue;
      for (Mop m : Mop.parse(op.value())) {
        checkKnown(m);
        if (m.f().equals("append") && !appended.add(Arrays.asList(m.key(), m.value()))) {
          throw new IllegalArgumentException("element " + m.value() + " appended to key " + m.key() + " more than once");
        }
      }
    }
  }

  private static void checkKnown(Mop m) {
    if (!m.f().equals("r") && !m.f().equals("append")) throw new IllegalArgumentException("unknown micro-op " + m.toList());
  }

  private void indexWriters() {
    for (List<Txn> group : List.of(ok, info, fail)) {
      for (Txn t : group) {
        Map<Object, Object> last = new HashMap<>();
        for (Mop m : t.mops()) if (m.isWrite()) last.put(m.key(), m.value());
        for (Mop m : t.mops()) {
          if (!m.isWrite()) continue;
          writer.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);
          if (!Objects.equals(last.get(m.key()), m.value())) intermediate.put(Arrays.asList(m.key(), m.value()), t);
        }
      }
    }
    for (Txn t : fail) {
      for (Mop m : t.mops()) if (m.isWrite()) failedWriter.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);
    }
  }

  private void indexReads() {
    Map<Object, List<Object>> appendsPossible = new HashMap<>();
    for (Txn t : possible) {
      for (Mop m : t.mops()) {
        if (m.isWrite()) {
          appendsPossible.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.value());
          possibleWriter.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);
        }
        if (m.isRead() && m.value() != null && !asList(m.value()).isEmpty()) {
          reads.computeIfAbsent(m.key(), k -> new LinkedHashSet<>()).add(asList(m.value()));
        }
        if (m.isRead() && !(t.op().isInfo() && m.value() == null)) {
          List<?> v = asList(m.value());
          Object last = v.isEmpty() ? INIT : v.get(v.size() - 1);
          List<Txn> rs = readersOf.computeIfAbsent(m.key(), k -> new HashMap<>()).computeIfAbsent(last, k -> new ArrayList<>());
          if (rs.isEmpty() || rs.get(rs.size() - 1) != t) rs.add(t);
        }
      }
    }
    appendsPossible.forEach((k, es) -> {
      if (es.size() == 1) reads.put(k, new LinkedHashSet<>(List.of(List.of(es.get(0)))));
    });
    reads.forEach((k, vs) -> {
      List<Object> els = new ArrayList<>(new LinkedHashSet<>(bySize(vs).get(vs.size() - 1)));
      order.put(k, els);
      Map<Object, Integer> pos = new HashMap<>();
      for (int i = 0; i < els.size(); i++) pos.put(els.get(i), i);
      position.put(k, pos);
    });
  }

  /** The distinct reads of a key, shortest first. */
  static List<List<?>> bySize(Set<List<?>> reads) {
    List<List<?>> sorted = new ArrayList<>(reads);
    sorted.sort((a, b) -> Integer.compare(a.size(), b.size()));
    return sorted;
  }

  /** The element appended just before e to key k (INIT if e is first); an unseen e follows the whole order. */
  Object prev(Object k, Object e) {
    List<Object> els = order.get(k);
    if (els == null || els.isEmpty()) return INIT;
    Integer i = position.get(k).get(e);
    if (i == null) return els.get(els.size() - 1);
    return i == 0 ? INIT : els.get(i - 1);
  }

  /** The possible txn that appended {@code e} to {@code k}, or null. */
  Txn possibleWriter(Object k, Object e) {
    return possibleWriter.getOrDefault(k, Collections.emptyMap()).get(e);
  }

  /** The possible txns whose read of {@code k} ended at {@code last} (INIT: read []). */
  List<Txn> readersUpTo(Object k, Object last) {
    return readersOf.getOrDefault(k, Collections.emptyMap()).getOrDefault(last, Collections.emptyList());
  }

  static List<?> asList(Object v) {
    if (v == null) return List.of();
    if (v instanceof List<?> l) return l;
    throw new IllegalArgumentException("read value is not a list: " + v);
  }

  private static Object valueOrInvocation(History h, Op completion) {
    if (completion.isInfo()) {
      // Info completions stand for what was asked: reads unknown (null), appends as invoked.
      Op inv = h.pairOf(completion);
      if (inv != null && inv.value() instanceof List<?> l) return l;
    }
    if (completion.value() != null) return completion.value();
    Op inv = h.pairOf(completion);
    return inv == null ? List.of() : inv.value();
  }
}
