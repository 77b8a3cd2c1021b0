package glomers.harness.workload.txn;

import static glomers.harness.workload.txn.RwRegisterChecker.add;
import static glomers.harness.workload.txn.RwRegisterChecker.map;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.elle.ConsistencyModels;
import glomers.harness.check.elle.CycleSearch;
import glomers.harness.check.elle.DepGraph;
import glomers.harness.check.elle.ElleResult;
import glomers.harness.check.elle.Rel;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

  private static final Object INIT = new Object() {
    @Override
    public String toString() {
      return "init";
    }
  };

  private static final class Txn {
    final Op op;
    final List<Mop> mops;

    Txn(Op op, List<Mop> mops) {
      this.op = op;
      this.mops = mops;
    }
  }

  private static List<?> asList(Object v) {
    if (v == null) return List.of();
    if (v instanceof List<?> l) return l;
    throw new IllegalArgumentException("read value is not a list: " + v);
  }

  Map<String, Object> elle(List<String> models, History h) {
    ConsistencyModels.validate(models); // an unknown model fails before any analysis, as in Elle
    // Pre-check: only r/append, and no element appended twice by invocations.
    Set<List<Object>> appended = new HashSet<>();
    for (Op op : h.clientOps()) {
      if (!op.isInvoke() || !"txn".equals(op.f())) continue;
      for (Mop m : Mop.parse(op.value())) {
        if (!m.f().equals("r") && !m.f().equals("append")) throw new IllegalArgumentException("unknown micro-op " + m.toList());
        if (m.f().equals("append") && !appended.add(Arrays.asList(m.key(), m.value()))) {
          throw new IllegalArgumentException("element " + m.value() + " appended to key " + m.key() + " more than once");
        }
      }
    }
    List<Txn> ok = new ArrayList<>(), info = new ArrayList<>(), fail = new ArrayList<>();
    for (Op op : h.clientCompletions()) {
      if (!"txn".equals(op.f())) continue;
      List<Mop> mops = Mop.parse(op.value() == null || op.isInfo() ? valueOrInvocation(h, op) : op.value());
      for (Mop m : mops) {
        if (!m.f().equals("r") && !m.f().equals("append")) throw new IllegalArgumentException("unknown micro-op " + m.toList());
      }
      (op.isOk() ? ok : op.isInfo() ? info : fail).add(new Txn(op, mops));
    }
    List<Txn> possible = new ArrayList<>(ok);
    possible.addAll(info);
    Map<String, List<Object>> anomalies = new TreeMap<>();

    // Who appended what (any completion type), and which appends are intermediate.
    Map<Object, Map<Object, Txn>> writer = new HashMap<>();
    Map<List<Object>, Txn> intermediate = new HashMap<>();
    for (List<Txn> group : List.of(ok, info, fail)) {
      for (Txn t : group) {
        Map<Object, Object> last = new HashMap<>();
        for (Mop m : t.mops) if (m.isWrite()) last.put(m.key(), m.value());
        for (Mop m : t.mops) {
          if (!m.isWrite()) continue;
          writer.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);
          if (!Objects.equals(last.get(m.key()), m.value())) intermediate.put(Arrays.asList(m.key(), m.value()), t);
        }
      }
    }
    Map<Object, Map<Object, Txn>> failedWriter = new HashMap<>();
    for (Txn t : fail) for (Mop m : t.mops) if (m.isWrite()) failedWriter.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);

    // G1a, G1b over ok reads.
    for (Txn t : ok) {
      for (Mop m : t.mops) {
        if (!m.isRead()) continue;
        List<?> v = asList(m.value());
        for (Object e : v) {
          Txn w = failedWriter.getOrDefault(m.key(), java.util.Collections.emptyMap()).get(e);
          if (w != null) add(anomalies, "G1a", map("op", t.op.toMap(), "mop", m.toList(), "writer", w.op.toMap(), "element", e));
        }
        if (!v.isEmpty()) {
          Object lastE = v.get(v.size() - 1);
          Txn w = intermediate.get(Arrays.asList(m.key(), lastE));
          if (w != null && w != t) add(anomalies, "G1b", map("op", t.op.toMap(), "mop", m.toList(), "writer", w.op.toMap(), "element", lastE));
        }
      }
    }

    // internal
    for (Txn t : ok) {
      Map<Object, List<Object>> prefix = new HashMap<>();
      Map<Object, List<Object>> own = new HashMap<>();
      for (Mop m : t.mops) {
        if (m.isWrite()) {
          own.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.value());
          continue;
        }
        List<?> v = asList(m.value());
        List<Object> mine = own.getOrDefault(m.key(), java.util.Collections.emptyList());
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
          add(anomalies, "internal", map("op", t.op.toMap(), "mop", m.toList(), "expected", expected));
          break;
        }
        prefix.put(m.key(), new ArrayList<>(v));
        own.remove(m.key());
      }
    }

    // duplicate-elements (ok and info reads)
    for (Txn t : possible) {
      for (Mop m : t.mops) {
        if (!m.isRead() || m.value() == null) continue;
        Map<Object, Integer> counts = new LinkedHashMap<>();
        for (Object e : asList(m.value())) counts.merge(e, 1, Integer::sum);
        Map<String, Object> dups = new LinkedHashMap<>();
        counts.forEach((e, c) -> {
          if (c > 1) dups.put(String.valueOf(e), c);
        });
        if (!dups.isEmpty()) add(anomalies, "duplicate-elements", map("op", t.op.toMap(), "mop", m.toList(), "duplicates", dups));
      }
    }

    // sorted values and incompatible orders
    Map<Object, Set<List<?>>> values = new LinkedHashMap<>();
    Map<Object, List<Object>> appendsPossible = new HashMap<>();
    for (Txn t : possible) {
      for (Mop m : t.mops) {
        if (m.isWrite()) appendsPossible.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.value());
        if (m.isRead() && m.value() != null && !asList(m.value()).isEmpty()) {
          values.computeIfAbsent(m.key(), k -> new LinkedHashSet<>()).add(asList(m.value()));
        }
      }
    }
    appendsPossible.forEach((k, es) -> {
      if (es.size() == 1) values.put(k, new LinkedHashSet<>(List.of(List.of(es.get(0)))));
    });
    Map<Object, List<Object>> order = new HashMap<>();
    for (Map.Entry<Object, Set<List<?>>> e : values.entrySet()) {
      List<List<?>> sorted = new ArrayList<>(e.getValue());
      sorted.sort((a, b) -> Integer.compare(a.size(), b.size()));
      for (int i = 0; i + 1 < sorted.size(); i++) {
        List<?> a = sorted.get(i), b = sorted.get(i + 1);
        if (!b.subList(0, a.size()).equals(a)) add(anomalies, "incompatible-order", map("key", e.getKey(), "values", List.of(a, b)));
      }
      List<?> longest = sorted.get(sorted.size() - 1);
      order.put(e.getKey(), new ArrayList<>(new LinkedHashSet<>(longest)));
    }

    // dirty-update: a failed append followed, in the observed order, by an ok one.
    for (Map.Entry<Object, List<Object>> e : order.entrySet()) {
      Txn failed = null;
      for (Object el : e.getValue()) {
        Txn w = writer.getOrDefault(e.getKey(), java.util.Collections.emptyMap()).get(el);
        if (w == null) continue;
        if (w.op.isFail() && failed == null) failed = w;
        if (w.op.isOk() && failed != null) {
          add(anomalies, "dirty-update", map("key", e.getKey(), "values", List.of(el), "txns", List.of(failed.op.toMap(), w.op.toMap())));
          break;
        }
      }
    }

    // lost-update (ok txns only)
    LostUpdates lost = new LostUpdates(v -> v == null ? List.of() : v);
    for (Txn t : ok) lost.add(t.op, t.mops);
    lost.report(anomalies);

    // Dependency edges over ok + info txns.
    Map<Object, Map<Object, Txn>> pWriter = new HashMap<>();
    Map<Object, Map<Object, List<Txn>>> readersOf = new HashMap<>();
    for (Txn t : possible) {
      for (Mop m : t.mops) {
        if (m.isWrite()) pWriter.computeIfAbsent(m.key(), k -> new HashMap<>()).put(m.value(), t);
        if (m.isRead() && !(t.op.isInfo() && m.value() == null)) {
          List<?> v = asList(m.value());
          Object last = v.isEmpty() ? INIT : v.get(v.size() - 1);
          List<Txn> rs = readersOf.computeIfAbsent(m.key(), k -> new HashMap<>()).computeIfAbsent(last, k -> new ArrayList<>());
          if (rs.isEmpty() || rs.get(rs.size() - 1) != t) rs.add(t);
        }
      }
    }
    Map<Object, Map<Object, Integer>> position = new HashMap<>();
    order.forEach((k, els) -> {
      Map<Object, Integer> pos = new HashMap<>();
      for (int i = 0; i < els.size(); i++) pos.put(els.get(i), i);
      position.put(k, pos);
    });
    DepGraph g = new DepGraph();
    for (Txn t : possible) {
      int b = t.op.index();
      for (Mop m : t.mops) {
        if (m.isRead()) {
          List<?> v = asList(m.value());
          if (v.isEmpty()) continue;
          Txn w = pWriter.getOrDefault(m.key(), java.util.Collections.emptyMap()).get(v.get(v.size() - 1));
          if (w != null) g.link(w.op.index(), b, Rel.WR);
        } else {
          Object prev = prev(order, position, m.key(), m.value());
          if (prev != INIT) {
            Txn w = pWriter.getOrDefault(m.key(), java.util.Collections.emptyMap()).get(prev);
            if (w != null) g.link(w.op.index(), b, Rel.WW);
          }
          for (Txn r : readersOf.getOrDefault(m.key(), java.util.Collections.emptyMap()).getOrDefault(prev, java.util.Collections.emptyList())) g.link(r.op.index(), b, Rel.RW);
        }
      }
    }
    Map<Integer, Txn> byIndex = new HashMap<>();
    for (Txn t : possible) byIndex.put(t.op.index(), t);
    CycleSearch.Explainer explainer = (a, b, rel) -> {
      Txn ta = byIndex.get(a), tb = byIndex.get(b);
      if (ta == null || tb == null) return null;
      for (Mop m : tb.mops) {
        if (rel == Rel.WR && m.isRead()) {
          List<?> v = asList(m.value());
          if (!v.isEmpty() && pWriter.getOrDefault(m.key(), java.util.Collections.emptyMap()).get(v.get(v.size() - 1)) == ta) {
            return map("key", m.key(), "value", v.get(v.size() - 1));
          }
        } else if (m.isWrite() && rel != Rel.WR) {
          Object prev = prev(order, position, m.key(), m.value());
          boolean hit = rel == Rel.WW
              ? prev != INIT && pWriter.getOrDefault(m.key(), java.util.Collections.emptyMap()).get(prev) == ta
              : readersOf.getOrDefault(m.key(), java.util.Collections.emptyMap()).getOrDefault(prev, java.util.Collections.emptyList()).contains(ta);
          if (hit) return map("key", m.key(), "value", prev == INIT ? null : prev, "value'", m.value());
        }
      }
      return null;
    };
    return ElleResult.searchCycles(models, anomalies, g, h, o -> "txn".equals(o.f()), explainer, cycleBudgetMillis);
  }

  /** The element appended just before e to key k (INIT if e is first); an unseen e follows the whole order. */
  private static Object prev(Map<Object, List<Object>> order, Map<Object, Map<Object, Integer>> position, Object k, Object e) {
    List<Object> els = order.get(k);
    if (els == null || els.isEmpty()) return INIT;
    Integer i = position.get(k).get(e);
    if (i == null) return els.get(els.size() - 1);
    return i == 0 ? INIT : els.get(i - 1);
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
