package glomers.mutants.broadcast;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deliberately broken broadcast nodes that the harness must reject. Run as {@code BroadcastMutants
 * <kind>}:
 *
 * <ul>
 *   <li>{@code no-gossip}: stores values locally and never tells anyone — other nodes' final reads miss
 *       acknowledged values (lost).
 *   <li>{@code gossip-once}: sends every new value once to every other node, no acks, no retry — correct
 *       on a healthy network, loses values dropped by partitions (3c).
 *   <li>{@code forget}: propagates correctly but every node silently forgets every 7th value it receives
 *       from a peer.
 *   <li>{@code late-read}: correct data, but after 3 s its reads forget the oldest value — a value that was
 *       read and then disappears is lost.
 * </ul>
 */
public final class BroadcastMutants implements WorkloadHandler {
  private final String kind;
  private final Set<Long> seen = new HashSet<>();
  private final List<Long> values = new ArrayList<>();
  private int received;

  public BroadcastMutants(String kind) {
    this.kind = kind;
  }

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new BroadcastMutants(args[0]), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    node.on("topology", m -> node.reply(m, node.body("topology_ok")));
    node.on("broadcast", m -> {
      long v = m.body().get("message").asLong();
      node.reply(m, node.body("broadcast_ok"));
      if (seen.add(v)) {
        values.add(v);
        if (!kind.equals("no-gossip")) {
          for (String peer : node.otherNodeIds()) {
            ObjectNode b = node.body("gossip");
            b.put("v", v);
            node.send(peer, b);
          }
        }
      }
    });
    node.on("gossip", m -> {
      long v = m.body().get("v").asLong();
      received++;
      if (kind.equals("forget") && received % 7 == 0) return;
      if (seen.add(v)) values.add(v);
    });
    long start = node.nowMillis();
    node.on("read", m -> {
      ObjectNode r = node.body("read_ok");
      ArrayNode a = r.putArray("messages");
      boolean dropOldest = kind.equals("late-read") && node.nowMillis() - start > 3_000;
      for (int i = dropOldest ? 1 : 0; i < values.size(); i++) a.add(values.get(i));
      node.reply(m, r);
    });
  }
}
