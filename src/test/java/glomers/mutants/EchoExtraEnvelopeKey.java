package glomers.mutants;

import glomers.protocol.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mutant (observed on Maelstrom 0.2.3, docs/maelstrom.md#wire-format-and-envelope-validation): the 3rd reply has
 * an extra top-level envelope key. Maelstrom silences the node: later ops time out (:info), yet echo still passes
 * (exit 0).
 */
public final class EchoExtraEnvelopeKey {
  public static void main(String[] args) throws Exception {
    int[] count = {0};
    MiniNode.run((n, msg) -> {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("type", "echo_ok", "echo", MiniNode.body(msg).get("echo")));
      body.put("in_reply_to", MiniNode.body(msg).get("msg_id"));
      Map<String, Object> env = new LinkedHashMap<>();
      env.put("src", n.id);
      env.put("dest", msg.get("src"));
      env.put("body", body);
      if (++count[0] == 3) env.put("extra", 1);
      n.raw(Json.write(env));
    });
  }
}
