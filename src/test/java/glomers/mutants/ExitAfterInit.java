package glomers.mutants;

import glomers.protocol.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Map;

/** Mutant: answers init, then exits (status 0). Maelstrom: "node crashed" at teardown, exit 255. */
public final class ExitAfterInit {
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
    Map<String, Object> msg = Json.parseMap(line);
    Map<String, Object> body = (Map<String, Object>) msg.get("body");
    System.out.println(Json.write(Map.of("src", body.get("node_id"), "dest", msg.get("src"),
        "body", Map.of("type", "init_ok", "in_reply_to", body.get("msg_id")))));
    System.out.flush();
    System.err.println("bye");
  }
}
