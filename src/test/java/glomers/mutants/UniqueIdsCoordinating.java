package glomers.mutants;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mutant: unique ids that are correct but need a peer: each generate asks the next node for a "ticket" and
 * answers only when the ticket arrives. Under partitions requests time out, so {@code --availability
 * total} must fail. (Single-threaded: pending requests wait in a queue.)
 */
public final class UniqueIdsCoordinating {
  public static void main(String[] args) throws Exception {
    ArrayDeque<Map<String, Object>> waiting = new ArrayDeque<>();
    long[] seq = {0};
    MiniNode.run((n, msg) -> {
      Map<String, Object> body = MiniNode.body(msg);
      switch ((String) body.get("type")) {
        case "generate" -> {
          waiting.add(msg);
          String peer = n.nodeIds.get((n.nodeIds.indexOf(n.id) + 1) % n.nodeIds.size());
          n.send(peer, Map.of("type", "ticket"));
        }
        case "ticket" -> n.send((String) msg.get("src"), Map.of("type", "ticket_ok"));
        case "ticket_ok" -> {
          Map<String, Object> req = waiting.poll();
          if (req != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("type", "generate_ok");
            r.put("id", n.id + "-" + seq[0]++);
            n.reply(req, r);
          }
        }
        default -> { }
      }
    });
  }
}
