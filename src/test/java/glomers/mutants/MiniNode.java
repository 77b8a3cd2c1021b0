package glomers.mutants;

import glomers.protocol.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately tiny, single-threaded Maelstrom node for mutants: answers {@code init} itself and passes
 * every other message to {@link Handler}. Not built on glomers.node so that mutants can break any rule.
 */
public final class MiniNode {
  /** Handles one incoming message (envelope as a plain map). */
  public interface Handler {
    void handle(MiniNode node, Map<String, Object> msg) throws Exception;
  }

  public String id;
  public List<String> nodeIds;
  private final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
  private long nextMsgId = 1000;

  public static void run(Handler h) throws Exception {
    new MiniNode().loop(h, true);
  }

  /** Runs with {@code answerInit} false: the handler sees init too. */
  public static void runRaw(Handler h) throws Exception {
    new MiniNode().loop(h, false);
  }

  @SuppressWarnings("unchecked")
  private void loop(Handler h, boolean answerInit) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      Map<String, Object> msg = Json.parseMap(line);
      Map<String, Object> body = (Map<String, Object>) msg.get("body");
      if (answerInit && "init".equals(body.get("type"))) {
        id = (String) body.get("node_id");
        nodeIds = (List<String>) body.get("node_ids");
        reply(msg, Map.of("type", "init_ok"));
        continue;
      }
      h.handle(this, msg);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> body(Map<String, Object> msg) {
    return (Map<String, Object>) msg.get("body");
  }

  /** Replies to {@code msg} with {@code body} + in_reply_to. */
  public void reply(Map<String, Object> msg, Map<String, Object> body) {
    Map<String, Object> b = new LinkedHashMap<>(body);
    b.put("in_reply_to", body(msg).get("msg_id"));
    send((String) msg.get("src"), b);
  }

  public void send(String dest, Map<String, Object> body) {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("src", id);
    env.put("dest", dest);
    env.put("body", body);
    raw(Json.write(env));
  }

  public long nextMsgId() {
    return nextMsgId++;
  }

  /** Writes an arbitrary stdout line. */
  public synchronized void raw(String line) {
    out.print(line);
    out.print('\n');
    out.flush();
  }
}
