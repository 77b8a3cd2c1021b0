package glomers.mutants;

import java.util.Map;

/**
 * Mutant (observed on Maelstrom 0.2.3, docs/maelstrom.md#timeouts-and-client-reuse): node n0 answers its first
 * echo only after a delay (args[0] ms, default 6000), i.e. after the 5 s client timeout; the late reply goes to a
 * closed client and silences n0. Other nodes are correct.
 */
public final class EchoLateFirst {
  public static void main(String[] args) throws Exception {
    long delay = args.length > 0 ? Long.parseLong(args[0]) : 6000;
    boolean[] first = {true};
    MiniNode.run((n, msg) -> {
      if (first[0] && n.id.equals("n0")) {
        first[0] = false;
        Thread.sleep(delay);
      }
      n.reply(msg, Map.of("type", "echo_ok", "echo", MiniNode.body(msg).get("echo")));
    });
  }
}
