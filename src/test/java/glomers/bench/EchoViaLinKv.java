package glomers.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.KvClient;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import java.util.Map;

/**
 * An echo node that makes one lin-kv round trip before each reply (a read of a key nobody writes), for
 * maelstrom-tests/bench-hop.sh: its echo latency minus a plain echo node's is the harness's service round
 * trip (node → lin-kv → node).
 */
public final class EchoViaLinKv implements WorkloadHandler {
  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new EchoViaLinKv(), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    KvClient kv = node.kv("lin-kv");
    node.on("echo", msg -> kv.read("probe").whenComplete((v, err) -> {
      ObjectNode r = node.body("echo_ok");
      r.set("echo", msg.body().get("echo"));
      node.reply(msg, r);
    }));
  }
}
