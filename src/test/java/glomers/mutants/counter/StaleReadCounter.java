package glomers.mutants.counter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.KvClient;
import glomers.node.KvClient.CasResult;
import glomers.protocol.Message;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: the textbook first attempt at challenge 4. Every node read-modify-CASes one shared seq-kv key
 * (correct: a CAS applies to seq-kv's newest state, so no add is lost) and answers a read with a plain
 * seq-kv read of that key. seq-kv may serve a node any state no older than the newest one that node has
 * seen (docs/maelstrom.md#consistency-of-the-services), so a node whose last add was long ago can read a
 * total that misses other nodes' acknowledged adds, final reads included. Whether a run shows it depends
 * on which states seq-kv picks: a bug found by trying seeds.
 */
public final class StaleReadCounter implements WorkloadHandler {
  private static final String KEY = "counter";
  private static final int MAX_ATTEMPTS = 20;
  private Node node;
  private KvClient kv;

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new StaleReadCounter(), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    this.node = node;
    kv = node.kv("seq-kv");
    node.on("add", msg -> add(msg, msg.body().get("delta").longValue(), 1));
    node.on("read", msg -> kv.read(KEY).whenComplete((v, err) -> {
      if (err != null) return;
      ObjectNode b = node.body("read_ok");
      b.put("value", v.map(JsonNode::asLong).orElse(0L));
      node.reply(msg, b);
    }));
  }

  /** Read, then CAS from what was read; a lost race retries, and after a few the client sees a timeout. */
  private void add(Message msg, long delta, int attempt) {
    kv.read(KEY)
        .thenCompose(v -> {
          long cur = v.map(JsonNode::asLong).orElse(0L);
          return kv.cas(KEY, cur, cur + delta, true);
        })
        .whenComplete((res, err) -> {
          if (err == null && res == CasResult.OK) node.reply(msg, node.body("add_ok"));
          else if (attempt < MAX_ATTEMPTS) node.after(10, () -> add(msg, delta, attempt + 1));
        });
  }
}
