package glomers.mutants.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Deliberately broken single-node kafka logs the harness must reject. First argument picks the bug:
 *
 * <ul>
 *   <li>{@code skip}: every 3rd poll that has at least two messages for a key leaves out the first one (a
 *       client's positions jump over an offset → poll-skip, usually lost-write too);
 *   <li>{@code drop}: every 10th send is acknowledged with a fresh offset but never stored (→ unseen);
 *   <li>{@code dup-offset}: every 10th send is stored at a new offset but acknowledged with the previous
 *       message's offset (→ inconsistent-offsets, duplicate);
 *   <li>{@code ok}: no bug (control).
 * </ul>
 */
public final class KafkaMutant implements WorkloadHandler {
  private final String mode;
  private final Map<String, List<long[]>> logs = new HashMap<>(); // key → [offset, msg]
  private final Map<String, Long> next = new HashMap<>();
  private final Map<String, Long> committed = new HashMap<>();
  private long sends, polls;

  public KafkaMutant(String mode) {
    this.mode = mode;
  }

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new KafkaMutant(args.length > 0 ? args[0] : "ok"), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    node.on("send", msg -> {
      String k = msg.body().get("key").asText();
      long m = msg.body().get("msg").asLong();
      long offset = next.merge(k, 1L, Long::sum) - 1;
      sends++;
      long acked = offset;
      if (mode.equals("drop") && sends % 10 == 0) {
        // acknowledged, never stored
      } else {
        logs.computeIfAbsent(k, x -> new ArrayList<>()).add(new long[] {offset, m});
        if (mode.equals("dup-offset") && sends % 10 == 0 && offset > 0) acked = offset - 1;
      }
      ObjectNode r = node.body("send_ok");
      r.put("offset", acked);
      node.reply(msg, r);
    });
    node.on("poll", msg -> {
      ObjectNode msgs = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = msg.body().get("offsets").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<long[]> log = logs.getOrDefault(e.getKey(), List.of());
        List<long[]> out = new ArrayList<>();
        for (long[] p : log) if (p[0] >= e.getValue().asLong()) out.add(p);
        if (out.isEmpty()) continue;
        if (mode.equals("skip") && out.size() >= 2 && ++polls % 3 == 0) out.remove(0);
        ArrayNode a = msgs.putArray(e.getKey());
        for (long[] p : out) a.addArray().add(p[0]).add(p[1]);
      }
      ObjectNode r = node.body("poll_ok");
      r.set("msgs", msgs);
      node.reply(msg, r);
    });
    node.on("commit_offsets", msg -> {
      msg.body().get("offsets").fields().forEachRemaining(e -> committed.merge(e.getKey(), e.getValue().asLong(), Math::max));
      node.reply(msg, node.body("commit_offsets_ok"));
    });
    node.on("list_committed_offsets", msg -> {
      ObjectNode o = Json.object();
      for (JsonNode k : msg.body().get("keys")) {
        Long c = committed.get(k.asText());
        if (c != null) o.put(k.asText(), c);
      }
      ObjectNode r = node.body("list_committed_offsets_ok");
      r.set("offsets", o);
      node.reply(msg, r);
    });
  }
}
