package glomers.mutants.gset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Mutant: a g-set node that acknowledges every add but only remembers its 10 most recent elements (a
 * bounded buffer mistaken for a set). Older acknowledged elements vanish from later reads: lost.
 */
public final class ForgetfulGSet implements WorkloadHandler {
  private final Deque<JsonNode> recent = new ArrayDeque<>();

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new ForgetfulGSet(), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    node.on("add", msg -> {
      recent.addLast(msg.body().get("element"));
      if (recent.size() > 10) recent.removeFirst();
      node.reply(msg, node.body("add_ok"));
    });
    node.on("read", msg -> {
      ObjectNode b = node.body("read_ok");
      ArrayNode arr = b.putArray("value");
      recent.forEach(arr::add);
      node.reply(msg, b);
    });
  }
}
