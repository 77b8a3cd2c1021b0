package glomers.workloads.gset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;
import glomers.node.stream.PeerStreams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The g-set workload: a grow-only set CRDT replicated over reliable per-peer streams.
 *
 * <h2>Algorithm</h2>
 * Every node holds the whole set. A grow-only set's merge is plain union, which is commutative,
 * associative and idempotent, so replicas that have received the same elements — in any order, any
 * number of times — hold the same set. An {@code add} is written to the node's storage and, once synced,
 * applied locally and acknowledged (so a client that saw {@code add_ok}, or a read that returned the
 * element, never sees it vanish with this node); a {@code read} returns the local set without asking
 * anyone (Maelstrom's checker only needs every element to reach every node eventually).
 *
 * <h2>Delivery despite partitions and crashes</h2>
 * The origin of an element delivers it to every other node over {@link PeerStreams}: every {@code
 * gossip-ms} (default 100 ms) it sends each peer with new elements one {@code gset_push} carrying all the
 * elements that peer has not acknowledged; acks ride on pushes going the other way, or follow alone one
 * interval later, and a link whose push went unacknowledged resends every {@code max-backoff-ms}
 * (default 2 s), so a long partition costs one message per peer every 2 s, and after the heal every
 * pending element arrives within that, well inside Maelstrom's 10 s quiet period. A restarted node
 * announces its new life and every peer offers it the whole set again; it offers its own recovered
 * elements again too. Idle nodes send nothing.
 *
 * <p>Trade-offs: direct origin→peer delivery means (n−1) pushes per batch and no relaying, which is cheap
 * for the 3–5 node tests here; with one-way partitions a relay through a third node could deliver sooner,
 * but correctness does not need it.
 */
public final class GSetHandler implements WorkloadHandler {
  private static final String ELEMENT = "e";

  private Node node;
  private final Set<JsonNode> elements = new LinkedHashSet<>();
  private PeerStreams<JsonNode> streams;
  private long gossipMs;
  private long rtoMs;

  @Override
  public void install(Node node) {
    this.node = node;
    gossipMs = Long.parseLong(node.settings().getOrDefault("gossip-ms", "100"));
    rtoMs = Long.parseLong(node.settings().getOrDefault("max-backoff-ms", "2000"));
    node.onInit(this::recover);
    node.on("add", this::onAdd);
    node.on("read", this::onRead);
    node.on("gset_push", this::onPush);
  }

  private void recover() {
    long life = 1;
    List<JsonNode> own = new ArrayList<>();
    for (byte[] rec : node.storage().recovered()) {
      long l = PeerStreams.lifeOf(rec);
      if (l >= 0) {
        life = Math.max(life, l + 1);
        continue;
      }
      try {
        own.add(JsonLine.parseTree(new String(rec, StandardCharsets.UTF_8).substring(ELEMENT.length())));
      } catch (Exception e) {
        throw new IllegalStateException("unreadable g-set record", e);
      }
    }
    long thisLife = life;
    own.removeIf(e -> !elements.add(e)); // durable already: readable at once, offered once the streams open
    node.storage().append(PeerStreams.lifeRecord(thisLife));
    node.storage().sync(() -> {
      streams = new PeerStreams<JsonNode>(node, thisLife, rtoMs, gossipMs, new PeerStreams.Transport<>() {
        @Override
        public void send(PeerStreams<JsonNode>.Link link) {
          push(link);
        }

        @Override
        public void peerRestarted(PeerStreams<JsonNode>.Link link) {
          for (JsonNode e : elements) link.offer(e);
        }
      }).start(node.otherNodeIds());
      for (JsonNode e : own) offer(e);
      if (!node.otherNodeIds().isEmpty()) node.every(gossipMs, this::gossip);
    });
  }

  private void onAdd(Message msg) {
    JsonNode e = msg.body().get("element");
    if (e == null) throw RpcException.malformed("add needs an 'element'");
    node.storage().append((ELEMENT + JsonLine.write(e)).getBytes(StandardCharsets.UTF_8));
    node.storage().sync(() -> {
      if (elements.add(e)) offer(e);
      node.reply(msg, node.body("add_ok"));
    });
  }

  private void offer(JsonNode e) {
    if (streams != null) for (PeerStreams<JsonNode>.Link l : streams.links()) l.offer(e);
  }

  private void onRead(Message msg) {
    ObjectNode b = node.body("read_ok");
    ArrayNode arr = b.putArray("value");
    for (JsonNode e : elements) arr.add(e);
    node.reply(msg, b);
  }

  private void onPush(Message msg) {
    if (streams == null) return; // not started yet: the sender resends
    JsonNode arr = msg.body().path("elements");
    PeerStreams.Receipt r = streams.receive(msg.src(), msg.body(), arr.size());
    if (r.stale()) return;
    // Elements learnt from a peer are not re-gossiped: their origin delivers them to everyone.
    for (int i = r.firstNew(); i < arr.size(); i++) elements.add(arr.get(i));
  }

  private void gossip() {
    for (PeerStreams<JsonNode>.Link l : streams.links()) if (l.hasUnsent()) push(l);
  }

  private void push(PeerStreams<JsonNode>.Link l) {
    ObjectNode b = node.body("gset_push");
    ArrayNode arr = b.putArray("elements");
    l.stamp(b).forEach(arr::add);
    node.send(l.peer(), b);
  }

  /** Test hook: a copy of the local set as plain values. */
  List<Object> snapshot() {
    List<Object> out = new ArrayList<>();
    for (JsonNode e : elements) out.add(Json.toPlain(e));
    return out;
  }
}
