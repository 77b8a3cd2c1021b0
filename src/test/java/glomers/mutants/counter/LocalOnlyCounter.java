package glomers.mutants.counter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: a counter that never shares its count. Each node sums only the adds it received itself, so
 * with more than one node the final reads disagree and (almost surely) all but one are wrong.
 */
public final class LocalOnlyCounter {
  public static void main(String[] args) throws Exception {
    long[] sum = {0};
    WorkloadHandler h =
        node -> {
          node.on(
              "add",
              msg -> {
                sum[0] += msg.body().get("delta").longValue();
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
