package glomers.harness.report;

import glomers.harness.history.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything a report is drawn from: the results map (as in {@code results.json}), the history, the network
 * messages and a few facts about the test. Any part may be empty (an aborted run has no results; a run read back
 * from an old store dir may have no journal) and the report then says so instead of failing.
 *
 * @param workload Maelstrom's {@code -w} name, e.g. {@code "broadcast"}
 * @param results the results map, keys without colons; empty when the run produced none
 * @param history the run's history (possibly empty)
 * @param messages network messages in send order (possibly empty)
 * @param nodeIds server node ids in test order; derived from the journal when empty
 * @param info free-form facts shown in the header (command line, seed, run dir, start time …), in order
 */
public record RunData(
    String workload,
    Map<String, Object> results,
    History history,
    List<NetMessage> messages,
    List<String> nodeIds,
    Map<String, Object> info) {

  public RunData {
    results = results == null ? Map.of() : results;
    history = history == null ? new History(List.of()) : history;
    messages = messages == null ? List.of() : messages;
    info = info == null ? new LinkedHashMap<>() : info;
    if (nodeIds == null || nodeIds.isEmpty()) nodeIds = deriveNodeIds(messages);
  }

  /** Node ids seen in the journal (n0, n1, … ordered by number), for runs that did not record them. */
  static List<String> deriveNodeIds(List<NetMessage> messages) {
    TreeSet<String> ids = new TreeSet<>(NODE_ORDER);
    for (NetMessage m : messages) {
      if (NetMessage.isNodeId(m.src())) ids.add(m.src());
      if (NetMessage.isNodeId(m.dest())) ids.add(m.dest());
    }
    return new ArrayList<>(ids);
  }

  /** n2 before n10: by numeric suffix when both have one, else lexicographic. */
  static final Comparator<String> NODE_ORDER =
      (a, b) -> {
        long na = suffix(a), nb = suffix(b);
        if (na >= 0 && nb >= 0 && a.charAt(0) == b.charAt(0)) return na != nb ? Long.compare(na, nb) : a.compareTo(b);
        return a.compareTo(b);
      };

  private static long suffix(String s) {
    if (s.length() < 2 || s.length() > 18) return -1;
    for (int i = 1; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return -1;
    return Long.parseLong(s.substring(1));
  }
}
