package glomers.harness.check.elle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Elle's consistency-model lattice, re-expressed as data: which models imply which, which anomalies each
 * model directly proscribes, and which anomalies imply which. From these three relations follow the set of
 * anomalies a list of {@code --consistency-models} prohibits (Elle's
 * https://github.com/jepsen-io/elle/blob/main/src/elle/consistency_model.clj) and the "not"/"also-not"
 * boundary Elle prints next to its anomalies.
 *
 * <p>The relations mirror {@code elle.consistency-model}; a few entries that Elle 0.1.6 lacks (e.g.
 * {@code future-read}) are harmless here because our analyses never emit them.
 */
public final class ConsistencyModels {
  private ConsistencyModels() {}

  /** Anomaly that implies the listed (weaker / more general) anomalies. */
  private static final Map<String, List<String>> IMPLIED_ANOMALIES = new HashMap<>();
  /** Model that implies the listed (weaker) models. */
  private static final Map<String, List<String>> MODELS = new HashMap<>();
  /** Model → the anomalies it directly proscribes. */
  private static final Map<String, List<String>> DIRECT_PROSCRIBED = new HashMap<>();
  /** Friendly name → canonical name. */
  private static final Map<String, String> CANONICAL = new HashMap<>();

  private static void rel(Map<String, List<String>> m, String from, String... to) {
    m.computeIfAbsent(from, k -> new ArrayList<>()).addAll(List.of(to));
  }

  static {
    Map<String, List<String>> a = IMPLIED_ANOMALIES;
    rel(a, "G0", "G1c", "G0-process");
    rel(a, "G0-process", "G1c-process", "G0-realtime");
    rel(a, "G0-realtime", "G1c-realtime");
    rel(a, "G1a", "G1");
    rel(a, "G1b", "G1");
    rel(a, "G1c", "G1", "G1c-process");
    rel(a, "G1c-process", "G1c-realtime", "G1-process");
    rel(a, "G1c-realtime", "G1-realtime");
    rel(a, "G1", "G1-process");
    rel(a, "G1-process", "G1-realtime");
    rel(a, "G-single-item", "G-single", "G-single-item-process", "G-nonadjacent-item");
    rel(a, "G-single-item-process", "G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process");
    rel(a, "G-single-item-realtime", "G-single-realtime", "G-nonadjacent-item-realtime");
    rel(a, "G-single", "G-nonadjacent", "GSIb", "G-single-process");
    rel(a, "G-single-process", "G-nonadjacent-process", "G-single-realtime");
    rel(a, "G-single-realtime", "G-nonadjacent-realtime");
    rel(a, "G-nonadjacent-item", "G-nonadjacent", "G2-item", "G-nonadjacent-item-process");
    rel(a, "G-nonadjacent-item-process", "G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime");
    rel(a, "G-nonadjacent-item-realtime", "G2-item-realtime", "G-nonadjacent-realtime");
    rel(a, "G-nonadjacent", "G2", "G-nonadjacent-process");
    rel(a, "G-nonadjacent-process", "G2-process", "G-nonadjacent-realtime");
    rel(a, "G-nonadjacent-realtime", "G2-realtime");
    rel(a, "G2", "G2-process");
    rel(a, "G2-item", "G2", "G2-item-process");
    rel(a, "G2-item-process", "G2-process", "G2-item-realtime");
    rel(a, "G2-item-realtime", "G2-realtime");
    rel(a, "G2-process", "G2-realtime");
    rel(a, "GSIa", "GSI");
    rel(a, "GSIb", "GSI");
    rel(a, "incompatible-order", "G1a");
    rel(a, "future-read", "G1c");
    rel(a, "dirty-update", "G1a");
    rel(a, "lost-update", "write-skew", "G2-item");
    rel(a, "write-skew", "G2");

    String[][] canon = {
      {"consistent-view", "PL-2+"}, {"conflict-serializable", "PL-3"}, {"cursor-stability", "PL-CS"},
      {"forward-consistent-view", "PL-FCV"}, {"monotonic-snapshot-read", "PL-MSR"}, {"monotonic-view", "PL-2L"},
      {"read-committed", "PL-2"}, {"read-uncommitted", "PL-1"}, {"repeatable-read", "PL-2.99"},
      {"serializable", "PL-3"}, {"snapshot-isolation", "PL-SI"}, {"strict-serializable", "PL-SS"},
      {"strong-serializable", "PL-SS"}, {"update-serializable", "PL-3U"},
      {"strong-session-read-uncommitted", "strong-session-PL-1"},
      {"strong-session-read-committed", "strong-session-PL-2"},
      {"strong-read-uncommitted", "strong-PL-1"}, {"strong-read-committed", "strong-PL-2"},
    };
    for (String[] c : canon) CANONICAL.put(c[0], c[1]);

    Map<String, List<String>> m = new HashMap<>();
    rel(m, "causal-cerone", "read-atomic");
    rel(m, "consistent-view", "cursor-stability", "monotonic-view");
    rel(m, "conflict-serializable", "view-serializable");
    rel(m, "cursor-stability", "read-committed", "PL-2");
    rel(m, "forward-consistent-view", "consistent-view");
    rel(m, "PL-2", "PL-1");
    rel(m, "PL-3", "repeatable-read", "update-serializable");
    rel(m, "update-serializable", "forward-consistent-view");
    rel(m, "monotonic-atomic-view", "read-committed");
    rel(m, "monotonic-view", "PL-2");
    rel(m, "monotonic-snapshot-read", "PL-2");
    rel(m, "parallel-snapshot-isolation", "causal-cerone", "ROLA");
    rel(m, "prefix", "causal-cerone");
    rel(m, "read-atomic", "monotonic-atomic-view");
    rel(m, "read-committed", "read-uncommitted");
    rel(m, "repeatable-read", "cursor-stability", "monotonic-atomic-view");
    rel(m, "ROLA", "read-atomic");
    rel(m, "serializable", "repeatable-read", "snapshot-isolation", "view-serializable");
    rel(m, "session-serializable", "1SR");
    rel(m, "snapshot-isolation", "forward-consistent-view", "monotonic-atomic-view", "monotonic-snapshot-read",
        "parallel-snapshot-isolation", "prefix");
    rel(m, "strict-serializable", "PL-3", "serializable", "linearizable", "snapshot-isolation",
        "strong-snapshot-isolation", "strong-session-serializable");
    rel(m, "strong-session-PL-1", "PL-1");
    rel(m, "strong-session-PL-2", "PL-2", "strong-session-PL-1");
    rel(m, "strong-PL-1", "strong-session-PL-1");
    rel(m, "strong-PL-2", "strong-session-PL-2", "strong-PL-1");
    rel(m, "strong-session-serializable", "serializable", "strong-session-snapshot-isolation");
    rel(m, "strong-session-snapshot-isolation", "snapshot-isolation", "strong-session-PL-2");
    rel(m, "strong-serializable", "session-serializable");
    rel(m, "strong-snapshot-isolation", "strong-session-snapshot-isolation", "strong-PL-2");
    rel(m, "linearizable", "sequential");
    rel(m, "sequential", "causal");
    rel(m, "causal", "writes-follow-reads", "PRAM");
    rel(m, "PRAM", "monotonic-reads", "monotonic-writes", "read-your-writes");
    // Elle canonicalises the vertices of the model graph, merging e.g. read-committed into PL-2.
    for (Map.Entry<String, List<String>> e : m.entrySet()) {
      List<String> to = new ArrayList<>();
      for (String t : e.getValue()) to.add(canonical(t));
      MODELS.computeIfAbsent(canonical(e.getKey()), k -> new ArrayList<>()).addAll(to);
    }

    Map<String, List<String>> d = new HashMap<>();
    rel(d, "causal-cerone", "internal", "G1a");
    rel(d, "cursor-stability", "G1", "G-cursor", "lost-update");
    rel(d, "monotonic-view", "G1", "G-monotonic");
    rel(d, "monotonic-snapshot-read", "G1", "G-MSR");
    rel(d, "consistent-view", "G1", "G-single");
    rel(d, "forward-consistent-view", "G1", "G-SIb");
    rel(d, "parallel-snapshot-isolation", "internal", "G1a");
    rel(d, "PL-3", "G1", "G2", "predicate-read-miss");
    rel(d, "PL-2", "G1");
    rel(d, "PL-1", "G0", "duplicate-elements", "cyclic-versions");
    rel(d, "prefix", "internal", "G1a");
    rel(d, "serializable", "internal");
    rel(d, "snapshot-isolation", "internal", "G1", "G-SI", "G-nonadjacent");
    rel(d, "read-atomic", "internal", "G1a", "future-read");
    rel(d, "repeatable-read", "G1", "G2-item", "lost-update");
    rel(d, "ROLA", "lost-update");
    rel(d, "strict-serializable", "G1", "G1c-realtime", "G2-realtime");
    rel(d, "strong-session-PL-1", "G0-process");
    rel(d, "strong-session-PL-2", "G1c-process");
    rel(d, "strong-PL-1", "G0-realtime");
    rel(d, "strong-PL-2", "G1c-realtime");
    rel(d, "strong-session-snapshot-isolation", "internal", "G1-process", "G-nonadjacent-process");
    rel(d, "strong-snapshot-isolation", "internal", "G1-realtime", "G-nonadjacent-realtime");
    rel(d, "strong-session-serializable", "G1-process", "G2-process");
    rel(d, "update-serializable", "G1", "G-update");
    for (Map.Entry<String, List<String>> e : d.entrySet()) {
      DIRECT_PROSCRIBED.computeIfAbsent(canonical(e.getKey()), k -> new ArrayList<>()).addAll(e.getValue());
    }
  }

  public static String canonical(String model) {
    return CANONICAL.getOrDefault(model, model);
  }

  /** Every model name Elle knows (friendly and canonical). */
  public static Set<String> allModels() {
    Set<String> all = new TreeSet<>(MODELS.keySet());
    for (List<String> v : MODELS.values()) all.addAll(v);
    all.addAll(CANONICAL.keySet());
    all.addAll(CANONICAL.values());
    return all;
  }

  /** Throws IllegalArgumentException for a model Elle does not know (Elle's checker throws too). */
  public static void validate(Collection<String> models) {
    Set<String> all = allModels();
    for (String m : models) {
      if (!all.contains(m)) throw new IllegalArgumentException("Unknown consistency model " + m);
    }
  }

  private static Set<String> bfs(Collection<String> start, Map<String, List<String>> edges) {
    Set<String> seen = new LinkedHashSet<>(start);
    Deque<String> q = new ArrayDeque<>(start);
    while (!q.isEmpty()) {
      for (String n : edges.getOrDefault(q.poll(), List.of())) if (seen.add(n)) q.add(n);
    }
    return seen;
  }

  private static Map<String, List<String>> inverse(Map<String, List<String>> g) {
    Map<String, List<String>> inv = new HashMap<>();
    for (Map.Entry<String, List<String>> e : g.entrySet()) {
      for (String t : e.getValue()) inv.computeIfAbsent(t, k -> new ArrayList<>()).add(e.getKey());
    }
    return inv;
  }

  private static final Map<String, List<String>> IMPLYING = inverse(IMPLIED_ANOMALIES);
  private static final Map<String, List<String>> WEAKER_TO_STRONGER = inverse(MODELS);
  private static final Map<String, List<String>> PROSCRIBED_BY = inverse(DIRECT_PROSCRIBED);

  /** Anomalies that, if present, mean the given models cannot all hold. */
  public static Set<String> prohibited(Collection<String> models) {
    validate(models);
    List<String> canon = new ArrayList<>();
    for (String m : models) canon.add(canonical(m));
    Set<String> direct = new LinkedHashSet<>();
    for (String m : bfs(canon, MODELS)) direct.addAll(DIRECT_PROSCRIBED.getOrDefault(m, List.of()));
    return new TreeSet<>(bfs(direct, IMPLYING));
  }

  /** Anomaly types that make the analysis {@code :unknown} rather than false. */
  public static final Set<String> UNKNOWN_TYPES = Set.of("empty-transaction-graph", "cycle-search-timeout");

  /** Anomalies worth reporting: prohibited ones plus the housekeeping ones. */
  public static Set<String> reportable(Collection<String> models) {
    Set<String> r = new TreeSet<>(prohibited(models));
    r.addAll(UNKNOWN_TYPES);
    return r;
  }

  /** Elle's friendly boundary: {@code not} = weakest models the anomalies rule out, {@code also-not} = the rest. */
  public static Map<String, Object> friendlyBoundary(Collection<String> anomalies) {
    Set<String> implied = bfs(anomalies, IMPLIED_ANOMALIES);
    Set<String> direct = new LinkedHashSet<>();
    for (String a : implied) direct.addAll(PROSCRIBED_BY.getOrDefault(a, List.of()));
    Set<String> impossible = bfs(direct, WEAKER_TO_STRONGER);
    // weakest: drop a model when some other impossible model is implied by it (reachable downwards).
    Set<String> weakest = new LinkedHashSet<>(impossible);
    for (String m : impossible) {
      Set<String> others = new LinkedHashSet<>(weakest);
      others.remove(m);
      Set<String> below = bfs(List.of(m), MODELS);
      below.remove(m);
      for (String b : below) {
        if (others.contains(b)) {
          weakest.remove(m);
          break;
        }
      }
    }
    Set<String> not = new TreeSet<>();
    for (String m : weakest) not.add(friendly(m));
    Set<String> alsoNot = new TreeSet<>();
    for (String m : impossible) if (!weakest.contains(m)) alsoNot.add(friendly(m));
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("not", new ArrayList<>(not));
    out.put("also-not", new ArrayList<>(alsoNot));
    return out;
  }

  private static String friendly(String canonical) {
    if (canonical.equals("PL-3")) return "serializable";
    for (Map.Entry<String, String> e : CANONICAL.entrySet()) {
      if (e.getValue().equals(canonical) && !e.getKey().equals("conflict-serializable")
          && !e.getKey().equals("strong-serializable")) {
        return e.getKey();
      }
    }
    return canonical;
  }
}
