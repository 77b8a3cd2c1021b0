package glomers.harness.report;

import java.util.Map;

/** One-line explanations of the anomaly names Maelstrom's checkers (Elle, Jepsen's kafka and set checkers) report. */
final class Explanations {
  private Explanations() {}

  static final Map<String, String> ANOMALIES = Map.ofEntries(
      Map.entry("G0", "write cycle: transactions overwrote each other's writes in a circular order (dirty write)"),
      Map.entry("G1a", "aborted read: a read saw a write of an operation that failed"),
      Map.entry("G1b", "intermediate read: a read saw a value that its writer later overwrote in the same transaction"),
      Map.entry("G1c", "circular information flow: a cycle of write/read dependencies between committed transactions"),
      Map.entry("G-single", "read skew: a dependency cycle with exactly one anti-dependency (rw) edge"),
      Map.entry("G-nonadjacent", "a dependency cycle with several non-adjacent anti-dependency edges"),
      Map.entry("G2-item", "anti-dependency cycle (write skew): transactions each missed the other's write"),
      Map.entry("G2", "anti-dependency cycle involving predicates"),
      Map.entry("internal", "a transaction did not see its own earlier writes/reads consistently"),
      Map.entry("lost-update", "two transactions read the same version of a key and both wrote it: one update is lost"),
      Map.entry("duplicate-elements", "a read returned the same appended element more than once"),
      Map.entry("incompatible-order", "two reads of a key disagree on the order of its elements (neither is a prefix of the other)"),
      Map.entry("dirty-update", "a committed write built on a value written by a failed operation"),
      Map.entry("cyclic-versions", "the inferred version order of a key has a cycle"),
      Map.entry("empty-transaction-graph", "no dependencies between transactions could be inferred: nothing was checked"),
      Map.entry("cycle-search-timeout", "the cycle search gave up on a large strongly connected component"),
      Map.entry("lost-write", "a send was acknowledged, and later sends to the same key were read, but this one never was"),
      Map.entry("duplicate", "the same value appears at several offsets of a key"),
      Map.entry("inconsistent-offsets", "one offset of a key holds different values in different sends/polls"),
      Map.entry("poll-skip", "a consumer skipped over offsets between two consecutive polls (when a send races a poll, timing-dependent: Maelstrom 0.2.3 may not show this; docs/kafka.md)"),
      Map.entry("nonmonotonic-poll", "a consumer's poll went backwards in a key's offsets"),
      Map.entry("nonmonotonic-send", "a process's sends to a key got offsets that went backwards"),
      Map.entry("int-poll-skip", "a single poll skipped offsets inside its own result"),
      Map.entry("int-nonmonotonic-poll", "a single poll returned offsets out of order"),
      Map.entry("int-send-skip", "a single transaction's sends skipped offsets (tolerated)"),
      Map.entry("unseen", "acknowledged sends that no poll ever read by the end of the test"),
      Map.entry("lost", "acknowledged elements that the final reads did not contain"),
      Map.entry("stale", "elements that took a while (> 0 ms) to become visible on every node"),
      Map.entry("never-read", "elements that no read ever returned and no read disproved"),
      Map.entry("duplicated", "values generated or returned more than once"),
      Map.entry("worst-stale", "the elements that took longest to become visible everywhere"),
      Map.entry("errors", "operations the checker rejected"),
      Map.entry("failures", "keys whose history is not linearizable"));
}
