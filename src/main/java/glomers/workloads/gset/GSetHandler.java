package glomers.workloads.gset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import glomers.protocol.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The g-set workload: a grow-only set CRDT replicated by acknowledged gossip.
 *
 * <h2>Algorithm</h2>
 * Every node holds the whole set. A grow-only set's merge is plain union, which is commutative,
 * associative and idempotent, so replicas that have received the same elements — in any order, any
 * number of times — hold the same set. An {@code add} is applied locally and acknowledged at once (nodes
 * are never killed in Maelstrom, so local memory is durable enough, and the client sees its element in
 * this node's reads immediately); a {@code read} returns the local set without asking anyone
 * (Maelstrom's checker only needs every element to reach every node eventually).
 *
 * <h2>Delivery despite partitions: retransmit until acknowledged</h2>
 * The origin of an element is responsible for delivering it to every other node. For each peer it keeps
 * the set of elements that peer has not yet acknowledged. Every {@code gossip-ms} (default 100 ms) it
 * sends each peer with unacknowledged elements one {@code gset_push} carrying all of them (batching many
 * adds into one message), with at most one push per peer in flight. The peer unions them in and answers
 * {@code gset_push_ok}; only then are those elements forgotten for that peer. A push lost to a partition
 * times out and its elements are resent — with exponential backoff per peer (up to
 * {@code max-backoff-ms}, default 2 s) so that a long partition costs a few messages per second rather
 * than one per tick; success resets the backoff. After the nemesis heals, every pending element reaches
 * every peer within about one backoff period, well inside Maelstrom's 10 s quiet period before the final
 * reads. Because merge is idempotent, a push whose reply was lost and that is therefore resent does no
 * harm.
 *
 * <p>Trade-offs: direct origin→peer delivery means (n−1) pushes + (n−1) acks per batch and no relaying,
 * which is cheap for the 3–5 node tests here; with one-way partitions a relay through a third node could
 * deliver sooner, but correctness does not need it. Idle nodes send nothing (timers tick, but only peers
 * with pending elements get messages).
 */
public final class GSetHandler implements WorkloadHandler {
  private Node node;
  private final Set<JsonNode> elements = new LinkedHashSet<>();
  private final Map<String, Peer> peers = new HashMap<>();
  private long gossipMs;
  private long maxBackoffMs;

  private static final class Peer {
    final Set<JsonNode> unacked = new LinkedHashSet<>();
    boolean inFlight;
    long backoffMs;
    long nextAttemptAt;
  }

  @Override
  public void install(Node node) {
    this.node = node;
    gossipMs = Long.parseLong(node.settings().getOrDefault("gossip-ms", "100"));
    maxBackoffMs = Long.parseLong(node.settings().getOrDefault("max-backoff-ms", "2000"));
    node.onInit(
        () -> {
          for (String p : node.otherNodeIds()) peers.put(p, new Peer());
          node.every(gossipMs, this::gossip);
        });
    node.on("add", this::onAdd);
    node.on("read", this::onRead);
    node.on("gset_push", this::onPush);
  }

  private void onAdd(Message msg) {
    JsonNode e = msg.body().get("element");
    if (e == null) throw RpcException.malformed("add needs an 'element'");
    if (elements.add(e)) {
      for (Peer p : peers.values()) p.unacked.add(e);
    }
    node.reply(msg, node.body("add_ok"));
  }

  private void onRead(Message msg) {
    ObjectNode b = node.body("read_ok");
    ArrayNode arr = b.putArray("value");
    for (JsonNode e : elements) arr.add(e);
    node.reply(msg, b);
  }

  private void onPush(Message msg) {
    JsonNode arr = msg.body().get("elements");
    if (arr == null || !arr.isArray()) throw RpcException.malformed("gset_push needs 'elements'");
    for (JsonNode e : arr) {
      // Elements learnt from a peer are not re-gossiped: their origin delivers them to everyone.
      elements.add(e);
    }
    node.reply(msg, node.body("gset_push_ok"));
  }

  private void gossip() {
    long now = node.nowMillis();
    for (Map.Entry<String, Peer> en : peers.entrySet()) {
      Peer p = en.getValue();
      if (p.inFlight || p.unacked.isEmpty() || now < p.nextAttemptAt) continue;
      List<JsonNode> batch = new ArrayList<>(p.unacked);
      ObjectNode b = node.body("gset_push");
      ArrayNode arr = b.putArray("elements");
      batch.forEach(arr::add);
      p.inFlight = true;
      // Time out a push after the current backoff (at least a few ticks), so retries slow down while
      // the peer is unreachable.
      long timeout = Math.max(p.backoffMs, 5 * gossipMs);
      node.rpc(en.getKey(), b, timeout)
          .whenComplete(
              (reply, err) -> {
                p.inFlight = false;
                if (err == null) {
                  batch.forEach(p.unacked::remove);
                  p.backoffMs = 0;
                  p.nextAttemptAt = 0;
                } else {
                  p.backoffMs = Math.min(maxBackoffMs, Math.max(2 * p.backoffMs, 5 * gossipMs));
                  p.nextAttemptAt = node.nowMillis();
                }
              });
    }
  }

  /** Test hook: a copy of the local set as plain values. */
  List<Object> snapshot() {
    List<Object> out = new ArrayList<>();
    for (JsonNode e : elements) out.add(Json.toPlain(e));
    return out;
  }
}
