package glomers.mutants;

import java.util.Map;

/**
 * Mutant: correct echo but with an extra reply field. The closed reply schema makes every op :info with an
 * exception; the echo checker ignores :info (observed Maelstrom behaviour) but :stats fails (no ok echo).
 */
public final class EchoExtraReplyField {
  public static void main(String[] args) throws Exception {
    MiniNode.run((n, msg) -> n.reply(msg, Map.of("type", "echo_ok", "echo", MiniNode.body(msg).get("echo"), "extra", 1)));
  }
}
