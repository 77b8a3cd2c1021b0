package glomers.mutants;

import java.util.Map;

/** Mutant: echoes a different text than it received (the echo checker must reject it). */
public final class EchoAltersText {
  public static void main(String[] args) throws Exception {
    MiniNode.run((n, msg) -> n.reply(msg, Map.of("type", "echo_ok", "echo", MiniNode.body(msg).get("echo") + "!")));
  }
}
