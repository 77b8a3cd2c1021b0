package glomers.mutants.linkv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import glomers.workloads.linkv.LinKvHandler;
import java.util.Map;

/**
 * MUTANT (must be rejected): the correct Raft store, except that a CAS is rewritten into a blind write
 * before it is proposed, so CAS on a stale value "succeeds" — a lost-update bug.
 */
public final class CasIgnoresFromNode implements WorkloadHandler {
  @Override
  public void install(Node node) {
    new LinKvHandler().install(node);
    // Re-register cas as a write of the "to" value, handled by the real write handler path.
    node.on("cas", m -> {
      ObjectNode b = m.body();
      b.put("type", "write");
      b.set("value", b.get("to"));
      b.remove("from");
      b.remove("to");
      // Dispatch through the runtime again would re-parse; instead answer like cas after the write.
      node.rpc(node.id(), b.deepCopy(), 1000).whenComplete((r, err) -> {
        if (err != null) node.replyError(m, 13, String.valueOf(err));
        else node.reply(m, node.body("cas_ok"));
      });
    });
  }

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new CasIgnoresFromNode(), Map.of(), System.in, System.out, System.err));
  }
}
