package glomers.harness.check;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen 0.3.1's {@code set-full} checker with {@code :linearizable? false}, as Maelstrom runs it for
 * broadcast and g-set (docs/maelstrom.md;
 * https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/checker.clj set-full). Reusable by any
 * workload whose ops
 * are "add one element" plus "read the whole set": the constructor takes the name of the add function
 * ({@code "broadcast"} for broadcast, {@code "add"} for g-set) and of the read function.
 *
 * <p>Per element we keep three points of the history:
 *
 * <ul>
 *   <li><b>known</b>: the first of (the element's ok add completion, the completion of the first ok read
 *       containing it), by history order;
 *   <li><b>last-present</b> / <b>last-absent</b>: the latest-invoked ok read (its <em>invocation</em>) that
 *       did / did not contain it.
 * </ul>
 *
 * An element enters tracking at its add <em>invocation</em>, so a read completing after that invocation
 * counts even if it started earlier. Outcome: <b>stable</b> iff some read saw it and no later-invoked read
 * missed it; <b>lost</b> iff it was known, and the last-invoked read that missed it was invoked after both
 * the last read that saw it and the known point; otherwise <b>never-read</b>. Only lost elements make the
 * result invalid; zero stable elements make it {@code "unknown"}.
 *
 * <p>Stable latency (ms, truncated) = {@code max(0, lastAbsent.time + 1 − known.time)} (or {@code 0 −
 * known.time} without a missing read, i.e. 0): the time from the ack until the start of the last read that
 * still missed the element. Quantiles at 0, 0.5, 0.95, 0.99, 1 take {@code sorted[min(n−1, ⌊n·p⌋)]}.
 *
 * <p>Quirk kept on purpose: Jepsen 0.3.1's duplicate detection never fires ({@code (< count 1)}), so
 * {@code duplicated-count} is always 0 and duplicates inside one read never invalidate the result.
 */
public final class SetFullChecker implements Checker {
  /** The quantile points Jepsen reports. */
  public static final double[] POINTS = {0, 0.5, 0.95, 0.99, 1};

  private final String addF;
  private final String readF;

  /** @param addF the add function as it appears in the history ({@code "broadcast"} or {@code "add"}) */
  public SetFullChecker(String addF) {
    this(addF, "read");
  }

  public SetFullChecker(String addF, String readF) {
    this.addF = addF;
    this.readF = readF;
  }

  private static final class Element {
    final Object element;
    Op known;
    Op lastPresent;
    Op lastAbsent;

    Element(Object element) {
      this.element = element;
    }
  }

  /** One element's verdict, exposed for tests and reports. */
  public record ElementResult(Object element, String outcome, Long stableLatency, Long lostLatency, Op known, Op lastAbsent) {}

  @Override
  public Map<String, Object> check(CheckContext ctx, History history) {
    // Insertion-ordered; re-adding an element (never happens in broadcast) restarts its tracking, as
    // Jepsen's (assoc elements v (set-full-element op)) does.
    Map<Object, Element> elements = new LinkedHashMap<>();
    for (Op op : history.ops()) {
      if (!op.isClient()) continue;
      if (addF.equals(op.f())) {
        if (op.isInvoke()) {
          elements.put(op.value(), new Element(op.value()));
        } else if (op.isOk()) {
          Element e = elements.get(op.value());
          if (e != null && e.known == null) e.known = op;
        }
      } else if (readF.equals(op.f()) && op.isOk()) {
        Op inv = history.pairOf(op);
        if (inv == null) inv = op; // defensive: an ok without invocation; Jepsen would fail here
        Set<Object> seen = asSet(op.value());
        for (Element e : elements.values()) {
          if (seen.contains(e.element)) {
            if (e.known == null) e.known = op;
            if (e.lastPresent == null || e.lastPresent.index() < inv.index()) e.lastPresent = inv;
          } else if (e.lastAbsent == null || e.lastAbsent.index() < inv.index()) {
            e.lastAbsent = inv;
          }
        }
      }
    }
    List<ElementResult> rs = new ArrayList<>();
    List<Element> sorted = new ArrayList<>(elements.values());
    sorted.sort((a, b) -> compareValues(a.element, b.element));
    for (Element e : sorted) rs.add(result(e));
    return results(rs);
  }

  static ElementResult result(Element e) {
    int absentIdx = e.lastAbsent == null ? -1 : e.lastAbsent.index();
    int presentIdx = e.lastPresent == null ? -1 : e.lastPresent.index();
    boolean stable = e.lastPresent != null && absentIdx < presentIdx;
    boolean lost = e.known != null && e.lastAbsent != null && presentIdx < absentIdx && e.known.index() < absentIdx;
    Long stableLatency = null;
    Long lostLatency = null;
    if (stable) {
      long t = e.lastAbsent != null ? e.lastAbsent.time() + 1 : 0;
      stableLatency = Math.max(0, t - e.known.time()) / 1_000_000;
    }
    if (lost) {
      long t = e.lastPresent != null ? e.lastPresent.time() + 1 : 0;
      lostLatency = Math.max(0, t - e.known.time()) / 1_000_000;
    }
    String outcome = stable ? "stable" : lost ? "lost" : "never-read";
    return new ElementResult(e.element, outcome, stableLatency, lostLatency, e.known, e.lastAbsent);
  }

  private Map<String, Object> results(List<ElementResult> rs) {
    List<Object> stableEls = new ArrayList<>();
    List<Object> lost = new ArrayList<>();
    List<Object> neverRead = new ArrayList<>();
    List<ElementResult> stale = new ArrayList<>();
    List<Long> stableLat = new ArrayList<>();
    List<Long> lostLat = new ArrayList<>();
    for (ElementResult r : rs) {
      switch (r.outcome()) {
        case "stable" -> {
          stableEls.add(r.element());
          if (r.stableLatency() > 0) stale.add(r);
        }
        case "lost" -> lost.add(r.element());
        default -> neverRead.add(r.element());
      }
      if (r.stableLatency() != null) stableLat.add(r.stableLatency());
      if (r.lostLatency() != null) lostLat.add(r.lostLatency());
    }
    Object valid = !lost.isEmpty() ? Boolean.FALSE : stableEls.isEmpty() ? "unknown" : Boolean.TRUE;
    // Jepsen: (sort-by :stable-latency) then reverse, take 8.
    List<ElementResult> worst = new ArrayList<>(stale);
    worst.sort(Comparator.comparingLong(ElementResult::stableLatency));
    java.util.Collections.reverse(worst);
    List<Object> worstStale = new ArrayList<>();
    for (ElementResult r : worst.subList(0, Math.min(8, worst.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("element", r.element());
      m.put("outcome", r.outcome());
      m.put("stable-latency", r.stableLatency());
      m.put("lost-latency", r.lostLatency());
      m.put("known", asAdd(r.known()));
      m.put("last-absent", asAdd(r.lastAbsent()));
      worstStale.add(m);
    }
    List<Object> staleEls = new ArrayList<>();
    for (ElementResult r : stale) staleEls.add(r.element());

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", valid);
    m.put("attempt-count", (long) rs.size());
    m.put("stable-count", (long) stableEls.size());
    m.put("lost-count", (long) lost.size());
    m.put("lost", lost);
    m.put("never-read-count", (long) neverRead.size());
    m.put("never-read", neverRead);
    m.put("stale-count", (long) stale.size());
    m.put("stale", staleEls);
    m.put("worst-stale", worstStale);
    if (!stableLat.isEmpty()) m.put("stable-latencies", quantiles(stableLat));
    if (!lostLat.isEmpty()) m.put("lost-latencies", quantiles(lostLat));
    m.put("duplicated-count", 0L);
    m.put("duplicated", Map.of());
    return m;
  }

  /** Jepsen's frequency-distribution: {@code sorted[min(n−1, ⌊n·p⌋)]}, keys "0", "0.5", "0.95", "0.99", "1". */
  public static Map<String, Object> quantiles(Collection<Long> values) {
    List<Long> s = new ArrayList<>(values);
    s.sort(null);
    int n = s.size();
    Map<String, Object> m = new LinkedHashMap<>();
    for (double p : POINTS) {
      int idx = Math.min(n - 1, (int) Math.floor(n * p));
      m.put(pointKey(p), s.get(idx));
    }
    return m;
  }

  /** "0", "0.5", "0.95", "0.99", "1": how Clojure prints the quantile points. */
  public static String pointKey(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  /** The op as the checker output shows it: Maelstrom's checker sees {@code :f :add}. */
  private Map<String, Object> asAdd(Op op) {
    if (op == null) return null;
    Map<String, Object> m = op.toMap();
    if (addF.equals(op.f())) m.put("f", "add");
    return m;
  }

  private static Set<Object> asSet(Object v) {
    if (v instanceof Collection<?> c) return new HashSet<>(c);
    return Set.of();
  }

  /** Clojure's compare for the values we expect (numbers, strings); falls back to type name + string. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      int c = Double.compare(x.doubleValue(), y.doubleValue());
      return c != 0 ? c : Long.compare(x.longValue(), y.longValue());
    }
    if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) return ca.compareTo(b);
    String ta = a == null ? "" : a.getClass().getName();
    String tb = b == null ? "" : b.getClass().getName();
    int c = ta.compareTo(tb);
    return c != 0 ? c : String.valueOf(a).compareTo(String.valueOf(b));
  }
}
