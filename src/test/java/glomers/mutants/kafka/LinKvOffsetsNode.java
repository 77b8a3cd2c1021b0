package glomers.mutants.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.KvClient;
import glomers.node.KvClient.CasResult;
import glomers.node.Node;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A public Gossip Glomers design for challenge 5b/5c, kept as a mutant because it has a real race: each
 * {@code send} reserves an offset with a lin-kv compare-and-set on a per-key counter ({@code <key>} holds the
 * next free offset), then writes the message under {@code <key>/<offset>}; a {@code poll} reads the counter,
 * then every offset from the requested one up to it, skipping offsets whose message is not there (yet).
 *
 * <p>The race: send A reserves n, send B reserves n+1 and writes it, and a poll reads the counter and
 * offset n before A's write lands: the poll returns n+1 without n, and the consumer's next poll starts after
 * n+1, so n is never seen by it (Jepsen's {@code poll-skip}). Whether a run meets it depends only on timing
 * (docs/kafka.md#a-public-design-and-its-poll-skip-race). Requests are served concurrently, like the Go
 * library's one goroutine per message: every lin-kv call is asynchronous on the node's event loop.
 *
 * <p>Committed offsets are written to lin-kv under {@code commit/<key>}. An optional first argument delays
 * every fifth message write by that many milliseconds after its offset is reserved, widening the race
 * window so that a short test meets it for certain.
 */
public final class LinKvOffsetsNode implements WorkloadHandler {
  private static final String KV = "lin-kv";
  private final long writeDelayMillis;
  private Node node;
  private long sends;
  private KvClient kv;

  public LinKvOffsetsNode(long writeDelayMillis) {
    this.writeDelayMillis = writeDelayMillis;
  }

  public static void main(String[] args) throws Exception {
    long delay = args.length > 0 ? Long.parseLong(args[0]) : 0;
    System.exit(StdioNode.run(new LinKvOffsetsNode(delay), Map.of(), System.in, System.out, System.err));
  }

  @Override
  public void install(Node node) {
    this.node = node;
    kv = node.kv(KV);
    node.on("send", msg -> {
      String k = msg.body().get("key").asText();
      JsonNode m = msg.body().get("msg");
      long delay = sends++ % 5 == 0 ? writeDelayMillis : 0;
      reserve(k).thenCompose(offset -> later(delay).thenCompose(x -> kv.write(k + "/" + offset, m)).thenApply(v -> offset))
          .whenComplete((offset, err) -> {
            if (err != null) {
              node.replyError(msg, 11, "lin-kv: " + err);
              return;
            }
            ObjectNode r = node.body("send_ok");
            r.put("offset", offset);
            node.reply(msg, r);
          });
    });
    node.on("poll", msg -> {
      ObjectNode msgs = Json.object();
      CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
      for (Iterator<Map.Entry<String, JsonNode>> it = msg.body().get("offsets").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        long from = e.getValue().asLong();
        all = all.thenCompose(v -> pollKey(k, from)).thenAccept(pairs -> {
          if (pairs.isEmpty()) return;
          ArrayNode a = msgs.putArray(k);
          for (Object[] p : pairs) a.addArray().add((Long) p[0]).add((JsonNode) p[1]);
        });
      }
      all.whenComplete((v, err) -> {
        if (err != null) {
          node.replyError(msg, 11, "lin-kv: " + err);
          return;
        }
        ObjectNode r = node.body("poll_ok");
        r.set("msgs", msgs);
        node.reply(msg, r);
      });
    });
    node.on("commit_offsets", msg -> {
      CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
      for (Iterator<Map.Entry<String, JsonNode>> it = msg.body().get("offsets").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        all = all.thenCompose(v -> kv.write("commit/" + e.getKey(), e.getValue().asLong()));
      }
      all.whenComplete((v, err) -> {
        if (err != null) node.replyError(msg, 11, "lin-kv: " + err);
        else node.reply(msg, node.body("commit_offsets_ok"));
      });
    });
    node.on("list_committed_offsets", msg -> {
      ObjectNode offsets = Json.object();
      CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
      for (JsonNode key : msg.body().get("keys")) {
        String k = key.asText();
        all = all.thenCompose(v -> kv.read("commit/" + k)).thenAccept(o -> o.ifPresent(c -> offsets.set(k, c)));
      }
      all.whenComplete((v, err) -> {
        if (err != null) {
          node.replyError(msg, 11, "lin-kv: " + err);
          return;
        }
        ObjectNode r = node.body("list_committed_offsets_ok");
        r.set("offsets", offsets);
        node.reply(msg, r);
      });
    });
  }

  /** Completes after {@code millis} on the event loop (at once for 0). */
  private CompletableFuture<Void> later(long millis) {
    if (millis <= 0) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> f = new CompletableFuture<>();
    node.after(millis, () -> f.complete(null));
    return f;
  }

  /** Reads the counter and moves it one up by compare-and-set, retrying on contention; the old value. */
  private CompletableFuture<Long> reserve(String k) {
    return kv.read(k).thenCompose(cur -> {
      long c = cur.map(JsonNode::asLong).orElse(0L);
      return kv.cas(k, c, c + 1, true).thenCompose(r -> r == CasResult.OK ? CompletableFuture.completedFuture(c) : reserve(k));
    });
  }

  /** [offset, message] pairs from {@code from} up to the counter, skipping offsets not written yet. */
  private CompletableFuture<List<Object[]>> pollKey(String k, long from) {
    return kv.read(k).thenCompose(cur -> {
      long end = cur.map(JsonNode::asLong).orElse(0L);
      List<Object[]> out = new ArrayList<>();
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (long i = from; i < end; i++) {
        long offset = i;
        chain = chain.thenCompose(v -> kv.read(k + "/" + offset)).thenAccept(m -> m.ifPresent(x -> out.add(new Object[] {offset, x})));
      }
      return chain.thenApply(v -> out);
    });
  }

}
