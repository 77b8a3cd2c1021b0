package glomers.mutants.counter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: a single-node counter that returns a wrong total — every add of an odd delta is counted twice
 * (think of a retry that re-applies a non-idempotent update). Run with one node: the final read is not
 * the sum of the acknowledged adds.
 */
public final class MiscountingCounter implements WorkloadHandler {
  private long sum;

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new MiscountingCounter(), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    node.on("add", msg -> {
      long d = msg.body().get("delta").longValue();
      sum += (d % 2 != 0) ? 2 * d : d;
      node.reply(msg, node.body("add_ok"));
    });
    node.on("read", msg -> {
      ObjectNode b = node.body("read_ok");
      b.put("value", sum);
      node.reply(msg, b);
    });
  }
}
