package glomers.harness.workload.txn;

import static glomers.harness.check.Anomalies.add;
import static glomers.harness.check.Anomalies.map;
import static glomers.harness.workload.txn.AppendIndex.INIT;
import static glomers.harness.workload.txn.AppendIndex.asList;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.elle.ConsistencyModels;
import glomers.harness.check.elle.CycleSearch;
import glomers.harness.check.elle.DepGraph;
import glomers.harness.check.elle.ElleResult;
import glomers.harness.check.elle.Rel;
import glomers.harness.history.History;
import glomers.harness.workload.txn.AppendIndex.Txn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The txn-list-append checker: Elle 0.1.6's {@code list-append/check}, without a Maelstrom wrapper
 * (https://github.com/jepsen-io/elle/blob/main/src/elle/list_append.clj; docs/txn.md).
 *
 * <p>Lists are far more informative than registers: every read of a key reveals a prefix of that key's
 * append order, so the version order is read straight off the longest read, and ww/wr/rw dependencies
 * follow from "who appended the element before mine" and "whose read ended where". Reads that are not
 * prefixes of one another ({@code incompatible-order}), duplicates, dirty updates, aborted/intermediate reads
 * and internal inconsistencies are found without any cycle search.
 *
 * <p>Shaped like Elle's: one {@link AppendIndex} of the history, one function per anomaly, then the
 * dependency graph ({@link #dependencies}) through the shared cycle search ({@link ElleResult#searchCycles}).
 *
 * <p>Verdict: false if a prohibited anomaly is present; unknown if only an empty graph or a cycle-search
 * timeout; true otherwise. A history the analysis cannot interpret (a micro-op other than r/append, or the
 * same element appended twice to a key) makes the checker throw, i.e. {@code unknown}.
 */
public final class ListAppendChecker implements Checker {
  private final long cycleBudgetMillis;

  public ListAppendChecker() {
    this(1000);
  }

  public ListAppendChecker(long cycleBudgetMillis) {
    this.cycleBudgetMillis = cycleBudgetMillis;
  }

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    try {
      return elle(ElleResult.models(ctx.option("consistency-models")), history);
    } catch (RuntimeException e) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("valid?", "unknown");
      out.put("error", String.valueOf(e.getMessage()));
      return out;
    }
  }

  Map<String, Object> elle(List<String> models, History h) {
    ConsistencyModels.validate(models); // an unknown model fails before any analysis, as in Elle
    AppendIndex index = new AppendIndex(h);
    Map<String, List<Object>> anomalies = new TreeMap<>();
    g1a(index, anomalies);
    g1b(index, anomalies);
    internal(index, anomalies);
    duplicateElements(index, anomalies);
    incompatibleOrder(index, anomalies);
    dirtyUpdate(index, anomalies);
    lostUpdate(index, anomalies);
    return ElleResult.searchCycles(models, anomalies, dependencies(index), h, o -> "txn".equals(o.f()),
        explainer(index), cycleBudgetMillis);
  }

  /** An ok read saw an element whose append failed. */
  static void g1a(AppendIndex index, Map<String, List<Object>> anomalies) {
    for (Txn t : index.ok) {
      for (Mop m : t.mops()) {
        if (!m.isRead()) continue;
        for (Object e : asList(m.value())) {
          Txn w = index.failedWriter.getOrDefault(m.key(), Collections.emptyMap()).get(e);
          if (w != null) add(anomalies, "G1a", map("op", t.op().toMap(), "mop", m.toList(), "writer", w.op().toMap(), "element", e));
        }
      }
    }
  }

  /** An ok read ended at another txn's intermediate append (one that txn followed with another to the key). */
  static void g1b(AppendIndex index, Map<String, List<Object>> anomalies) {
    for (Txn t : index.ok) {
      for (Mop m : t.mops()) {
        if (!m.isRead()) continue;
        List<?> v = asList(m.value());
        if (v.isEmpty()) continue;
        Object lastE = v.get(v.size() - 1);
        Txn w = index.intermediate.get(Arrays.asList(m.key(), lastE));
        if (w != null && w != t) add(anomalies, "G1b", map("op", t.op().toMap(), "mop", m.toList(), "writer", w.op().toMap(), "element", lastE));
      }
    }
  }

  /** A read contradicting the txn's own earlier reads and appends of the key (first such read per txn). */
  static void internal(AppendIndex index, Map<String, List<Object>> anomalies) {
    for (Txn t : index.ok) {
      Map<Object, List<Object>> prefix = new HashMap<>();
      Map<Object, List<Object>> own = new HashMap<>();
      for (Mop m : t.mops()) {
        if (m.isWrite()) {
          own.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.value());
          continue;
        }
        List<?> v = asList(m.value());
        List<Object> mine = own.getOrDefault(m.key(), Collections.emptyList());
        List<Object> known = prefix.get(m.key());
        boolean good;
        List<Object> expected = new ArrayList<>();
        if (known != null) {
          expected.addAll(known);
          expected.addAll(mine);
          good = expected.equals(v);
        } else {
          expected.add("...");
          expected.addAll(mine);
          good = v.size() >= mine.size() && v.subList(v.size() - mine.size(), v.size()).equals(mine);
        }
        if (!good) {
          add(anomalies, "internal", map("op", t.op().toMap(), "mop", m.toList(), "expected", expected));
          break;
        }
        prefix.put(m.key(), new ArrayList<>(v));
        own.remove(m.key());
      }
    }
  }

  /** A read (ok or info) listing one element more than once. */
  static void duplicateElements(AppendIndex index, Map<String, List<Object>> anomalies) {
    for (Txn t : index.possible) {
      for (Mop m : t.mops()) {
        if (!m.isRead() || m.value() == null) continue;
        Map<Object, Integer> counts = new LinkedHashMap<>();
        for (Object e : asList(m.value())) counts.merge(e, 1, Integer::sum);
        Map<String, Object> dups = new LinkedHashMap<>();
        counts.forEach((e, c) -> {
          if (c > 1) dups.put(String.valueOf(e), c);
        });
        if (!dups.isEmpty()) add(anomalies, "duplicate-elements", map("op", t.op().toMap(), "mop", m.toList(), "duplicates", dups));
      }
    }
  }

  /** Two reads of a key, neither a prefix of the other (compared in size order, neighbours only). */
  static void incompatibleOrder(AppendIndex index, Map<String, List<Object>> anomalies) {
    index.reads.forEach((k, vs) -> {
      List<List<?>> sorted = AppendIndex.bySize(vs);
      for (int i = 0; i + 1 < sorted.size(); i++) {
        List<?> a = sorted.get(i), b = sorted.get(i + 1);
        if (!b.subList(0, a.size()).equals(a)) add(anomalies, "incompatible-order", map("key", k, "values", List.of(a, b)));
      }
    });
  }

  /** A failed append followed, in the observed order, by an ok one (first per key). */
  static void dirtyUpdate(AppendIndex index, Map<String, List<Object>> anomalies) {
    for (Map.Entry<Object, List<Object>> e : index.order.entrySet()) {
      Txn failed = null;
      for (Object el : e.getValue()) {
        Txn w = index.writer.getOrDefault(e.getKey(), Collections.emptyMap()).get(el);
        if (w == null) continue;
        if (w.op().isFail() && failed == null) failed = w;
        if (w.op().isOk() && failed != null) {
          add(anomalies, "dirty-update", map("key", e.getKey(), "values", List.of(el), "txns", List.of(failed.op().toMap(), w.op().toMap())));
          break;
        }
      }
    }
  }

  /** Two ok txns read the same version of a key and both appended to it. */
  static void lostUpdate(AppendIndex index, Map<String, List<Object>> anomalies) {
    LostUpdates lost = new LostUpdates(v -> v == null ? List.of() : v);
    for (Txn t : index.ok) lost.add(t.op(), t.mops());
    lost.report(anomalies);
  }

  /**
   * ww/wr/rw edges between possible txns: wr from the appender of a read's last element to the reader; ww
   * from the appender of the element before mine; rw from every txn whose read ended just before my element.
   */
  static DepGraph dependencies(AppendIndex index) {
    DepGraph g = new DepGraph();
    for (Txn t : index.possible) {
      int b = t.op().index();
      for (Mop m : t.mops()) {
        if (m.isRead()) {
          List<?> v = asList(m.value());
          if (v.isEmpty()) continue;
          Txn w = index.possibleWriter(m.key(), v.get(v.size() - 1));
          if (w != null) g.link(w.op().index(), b, Rel.WR);
        } else {
          Object prev = index.prev(m.key(), m.value());
          if (prev != INIT) {
            Txn w = index.possibleWriter(m.key(), prev);
            if (w != null) g.link(w.op().index(), b, Rel.WW);
          }
          for (Txn r : index.readersUpTo(m.key(), prev)) g.link(r.op().index(), b, Rel.RW);
        }
      }
    }
    return g;
  }

  /** Explains an edge a → b by the first micro-op of b that creates it (key, value, and for ww/rw value'). */
  static CycleSearch.Explainer explainer(AppendIndex index) {
    return (a, b, rel) -> {
      Txn ta = index.byIndex.get(a), tb = index.byIndex.get(b);
      if (ta == null || tb == null) return null;
      for (Mop m : tb.mops()) {
        if (rel == Rel.WR && m.isRead()) {
          List<?> v = asList(m.value());
          if (!v.isEmpty() && index.possibleWriter(m.key(), v.get(v.size() - 1)) == ta) {
            return map("key", m.key(), "value", v.get(v.size() - 1));
          }
        } else if (m.isWrite() && rel != Rel.WR) {
          Object prev = index.prev(m.key(), m.value());
          boolean hit = rel == Rel.WW
              ? prev != INIT && index.possibleWriter(m.key(), prev) == ta
              : index.readersUpTo(m.key(), prev).contains(ta);
          if (hit) return map("key", m.key(), "value", prev == INIT ? null : prev, "value'", m.value());
        }
      }
      return null;
    };
  }
}
