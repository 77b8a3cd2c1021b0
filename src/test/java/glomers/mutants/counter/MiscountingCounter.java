package glomers.mutants.counter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: a single-node counter that returns a wrong total — every add of an odd delta is counted twice
 * (think of a retry that re-applies a non-idempotent update). Run with one node: the final read is not
 * the sum of the acknowledged adds.
 */
public final class MiscountingCounter {
  public static void main(String[] args) throws Exception {
    long[] sum = {0};
    WorkloadHandler h =
        node -> {
          node.on(
              "add",
              msg -> {
                long d = msg.body().get("delta").longValue();
                sum[0] += (d % 2 != 0) ? 2 * d : d;
                node.reply(msg, node.body("add_ok"));
              });
          node.on(
              "read",
              msg -> {
                ObjectNode b = node.body("read_ok");
                b.put("value", sum[0]);
                node.reply(msg, b);
              });
        };
    System.exit(StdioNode.run(h, Map.of(), System.in, System.out, System.err));
  }
}
