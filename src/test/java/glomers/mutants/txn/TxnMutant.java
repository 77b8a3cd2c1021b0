package glomers.mutants.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import glomers.protocol.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliberately broken txn nodes (rw-register or list-append, each node keeping only its own local store,
 * never talking to peers). The bug is picked by name (the first argument as a process):
 *
 * <ul>
 *   <li>{@code local} — no bug in isolation, but never replicates: passes Maelstrom's checks (like the
 *       public solution that waits for a topology message), fails the harness's {@code --strict}
 *       convergence analysis.
 *   <li>{@code intermediate} — applies a txn's writes to the store in reverse order, so the stored value is
 *       an intermediate write that later txns read (G1b).
 *   <li>{@code aborted} — answers every third txn that writes with error 30 (txn-conflict) but keeps its
 *       writes (G1a).
 *   <li>{@code garbage} — reads of existing keys return a value nobody wrote (stored value + 1 000 000).
 * </ul>
 */
public final class TxnMutant implements WorkloadHandler {
  private final String bug;
  private final Map<Long, JsonNode> store = new HashMap<>();
  private long writingTxns;

  public TxnMutant(String bug) {
    this.bug = bug;
  }

  public static void main(String[] args) throws Exception {
    TxnMutant node = new TxnMutant(args.length > 0 ? args[0] : "local");
    System.exit(StdioNode.run(node, Map.of(), System.in, System.out, System.err));
  }

  /** One write of a txn: the key and the value the client sent (the element, for an append). */
  private record Write(long key, JsonNode value) {}

  @Override
  public void install(Node node) {
    node.on("txn", msg -> execute(node, msg));
  }

  private void execute(Node node, Message msg) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    Map<Long, JsonNode> local = new LinkedHashMap<>();
    List<Write> writes = new ArrayList<>();
    for (JsonNode mop : msg.body().get("txn")) {
      String f = mop.get(0).asText();
      long k = mop.get(1).asLong();
      if ("r".equals(f)) {
        out.add(Json.MAPPER.createArrayNode().add("r").add(mop.get(1)).add(read(k, local)));
      } else {
        local.put(k, "append".equals(f) ? appended(k, mop.get(2), local) : mop.get(2));
        writes.add(new Write(k, mop.get(2)));
        out.add(mop);
      }
    }
    commit(local, writes);
    if ("aborted".equals(bug) && !writes.isEmpty() && ++writingTxns % 3 == 0) {
      node.replyError(msg, 30, "txn-conflict (but the writes stay)");
      return;
    }
    node.reply(msg, node.body("txn_ok").set("txn", out));
  }

  private JsonNode read(long k, Map<Long, JsonNode> local) {
    JsonNode v = local.containsKey(k) ? local.get(k) : store.get(k);
    if (v == null) return Json.MAPPER.nullNode();
    if ("garbage".equals(bug) && v.isIntegralNumber() && !local.containsKey(k)) return LongNode.valueOf(v.asLong() + 1_000_000L);
    return v.deepCopy();
  }

  private JsonNode appended(long k, JsonNode element, Map<Long, JsonNode> local) {
    JsonNode before = local.containsKey(k) ? local.get(k) : store.get(k);
    ArrayNode list = before == null ? Json.MAPPER.createArrayNode() : (ArrayNode) before.deepCopy();
    return list.add(element);
  }

  private void commit(Map<Long, JsonNode> local, List<Write> writes) {
    if (!"intermediate".equals(bug)) {
      store.putAll(local);
      return;
    }
    for (int i = writes.size() - 1; i >= 0; i--) store.put(writes.get(i).key(), writes.get(i).value());
  }
}
