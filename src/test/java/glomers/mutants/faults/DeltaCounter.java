package glomers.mutants.faults;

import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: a g-counter that tells every peer each delta once, fire-and-forget, and adds every delta it is
 * told; the total lives in memory only. Correct on a network that neither duplicates nor loses messages
 * and nodes that never crash: a duplicated delta is added twice (rejected under {@code --nemesis
 * duplicate}), and a killed node comes back at 0 (rejected under {@code --nemesis kill}).
 */
public final class DeltaCounter {
  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(handler(), Map.of(), System.in, System.out, System.err));
  }

  /** One node's handler (in-process runs make one per node, and one per restart). */
  public static WorkloadHandler handler() {
    long[] sum = {0};
    return node -> {
          node.on("add", msg -> {
            long d = msg.body().get("delta").longValue();
            sum[0] += d;
            for (String peer : node.otherNodeIds()) node.send(peer, node.body("delta").put("delta", d));
            node.reply(msg, node.body("add_ok"));
          });
          node.on("delta", msg -> sum[0] += msg.body().get("delta").longValue());
          node.on("read", msg -> node.reply(msg, node.body("read_ok").put("value", sum[0])));
        };
  }
}
