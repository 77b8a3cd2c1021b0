package glomers.workloads.echo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;

/**
 * Challenge 1: answer every {@code echo} with {@code echo_ok} carrying the identical {@code echo} value.
 * The reply carries only the fields Maelstrom's closed reply schema allows.
 */
public final class EchoHandler implements WorkloadHandler {
  @Override
  public void install(Node node) {
    node.on(
        "echo",
        msg -> {
          if (!msg.body().has("echo")) throw RpcException.malformed("echo needs an 'echo' field");
          ObjectNode reply = node.body("echo_ok");
          reply.set("echo", msg.body().get("echo"));
          node.reply(msg, reply);
        });
  }
}
