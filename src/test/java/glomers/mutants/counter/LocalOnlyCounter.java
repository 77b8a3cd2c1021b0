package glomers.mutants.counter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * Mutant: a counter that never shares its count. Each node sums only the adds it received itself, so
 * with more than one node the final reads disagree and (almost surely) all but one are wrong.
 */
public final class LocalOnlyCounter implements WorkloadHandler {
  private long sum;

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new LocalOnlyCounter(), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    node.on("add", msg -> {
      sum += msg.body().get("delta").longValue();
      node.reply(msg, node.body("add_ok"));
    });
    node.on("read", msg -> {
      ObjectNode b = node.body("read_ok");
      b.put("value", sum);
      node.reply(msg, b);
    });
  }
}
