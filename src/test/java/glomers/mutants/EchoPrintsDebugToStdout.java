package glomers.mutants;

import java.util.Map;

/** Mutant: the classic mistake — a debug line on stdout before each reply. Silenced at once. */
public final class EchoPrintsDebugToStdout {
  public static void main(String[] args) throws Exception {
    MiniNode.run((n, msg) -> {
      n.raw("got " + MiniNode.body(msg).get("type"));
      n.reply(msg, Map.of("type", "echo_ok", "echo", MiniNode.body(msg).get("echo")));
    });
  }
}
