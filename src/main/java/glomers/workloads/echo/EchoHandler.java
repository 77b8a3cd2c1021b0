package glomers.workloads.echo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.Fields;
import glomers.node.WorkloadHandler;

/**
 * Challenge 1: answer every {@code echo} with {@code echo_ok} carrying the identical {@code echo} value.
 *
 * <p>The payload is copied as a JSON tree, never re-typed: Maelstrom compares it with Clojure {@code =},
 * so turning {@code 1} into {@code 1.0} (or a string into a number) would be a wrong echo. The reply
 * carries only the fields Maelstrom's closed reply schema allows ({@code type}, {@code echo},
 * {@code in_reply_to}, {@code msg_id}); a request without {@code echo} is refused with a definite error
 * 12 rather than answered with a reply that would fail the schema. Everything else (init, bad input,
 * unknown types) is the runtime's job.
 */
public final class EchoHandler implements WorkloadHandler {
  @Override
  public void install(Node node) {
    node.on(
        "echo",
        msg -> {
          Fields.require(msg, "echo");
          ObjectNode reply = node.body("echo_ok");
          reply.set("echo", msg.body().get("echo"));
          node.reply(msg, reply);
        });
  }
}
