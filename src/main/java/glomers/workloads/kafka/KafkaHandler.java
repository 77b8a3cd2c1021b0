package glomers.workloads.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.LongNode;
import glomers.node.Node;
import glomers.node.storage.Storage;
import glomers.node.stream.PeerStreams;
import java.nio.charset.StandardCharsets;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.ErrorCode;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Challenges 5a–5c: a Kafka-style replicated log that needs a few hundredths of a server message per
 * client operation.
 *
 * <h2>What the checker demands</h2>
 *
 * Offsets of a key must be unique and increasing (they may be sparse). A poll must return, from the
 * requested offset, every message of the key that will <i>ever</i> exist in that range, in order: if a
 * message could later appear at an offset below one already returned, some client's sequence would look
 * like a skip (and the message like a lost write). Every acknowledged send must eventually be polled.
 *
 * <h2>Default design ({@code mode=clock}): local offsets from a Lamport clock, visibility by watermark</h2>
 *
 * <b>Sends never leave the node.</b> Each node keeps a counter c and gives a send the offset
 * {@code (c+1)·n + i} (i = its index among the n nodes), so offsets of different nodes never collide and
 * a node's offsets only grow. The counter is also a promise: "every offset I will ever assign is above
 * {@code c·n + i}" — the node's <i>watermark</i>.
 *
 * <p><b>Ordered, batched replication.</b> A node streams its own appends (in offset order) to every peer
 * in batches ({@code kf_repl}, at most one message per peer per {@code repl-ms}, 50 ms by default, only
 * when there is something new), each batch ending with the sender's current watermark. A batch is applied
 * only if it continues the stream exactly where the receiver's copy ends, so after applying it the
 * receiver holds every entry the sender will ever have at or below that watermark. Receiving a watermark
 * also lifts the receiver's own counter above it (Lamport's rule), so watermarks of all nodes advance
 * together even when only one node is taking sends.
 *
 * <p><b>Polls are served locally, up to the stable point</b> = the minimum of the node's own watermark and
 * the last watermark received from each peer. Below that point no node can ever add a message, so a poll
 * never has a gap or a reordering, on any node, without asking anyone. The price is freshness: a message
 * becomes visible after about two replication intervals (the peers must hear of it and answer with a
 * higher watermark).
 *
 * <p><b>Reliable replication without extra messages.</b> The streams are {@link PeerStreams}: each
 * batch also carries the receiver's acknowledgement of the opposite stream, a sender that sees no ack
 * progress for {@code rewind-ms} resends from the last acknowledged entry (go-back-N), and the watermark
 * is the stream's latest state, resent until acknowledged even when no entry changes (with 3+ nodes a
 * node that takes no sends still raises the stable point of the others). This heals dropped batches
 * after partitions; during a partition sends and polls keep working (polls just stop advancing past the
 * cut-off peer's last watermark).
 *
 * <p><b>Commits</b> max-merge into a local map, so committed offsets never go backwards, and ride along in
 * the next batches (plus a full resync every {@code commit-sync-ms}). A committed offset that is a little
 * behind elsewhere only makes a new consumer re-read messages, never skip any.
 *
 * <p>Cost with n nodes: at most n·(n−1) messages per replication interval, independent of the load:
 * 2 nodes at 1000 ops/s and 50 ms → 40 msgs/s ≈ 0.04 msgs/op.
 *
 * <h2>Alternative ({@code mode=owner}): one owner per key</h2>
 *
 * Key k belongs to {@code nodeIds[hash(k) mod n]}, which alone assigns its dense offsets 0, 1, 2, … A
 * send for a foreign key is forwarded to the owner ({@code kf_fwd}, request + reply, with an id so that
 * retries during partitions append once); the same ordered replication makes every node a replica, and
 * polls are served locally with no watermark needed (each key has a single writer). Messages appear on
 * other nodes after one interval, but (n−1)/n of the sends cost two messages: ≈ 0.47 msgs/op at n = 2,
 * and sends of keys owned across a partition fail after {@code fwd-deadline-ms} with the indefinite
 * error 13 (always answered before the client's 5 s timeout: a reply to a client Maelstrom has already
 * replaced would silence this node).
 *
 * <p>Settings: {@code mode=clock|owner repl-ms=50 rewind-ms=400 commit-sync-ms=2000 poll-max=1000}
 * (messages per key per poll), owner mode also {@code fwd-attempt-ms=1000 fwd-deadline-ms=3500}. Memory
 * grows with the total log (no truncation), which is fine for test-sized runs.
 */
public final class KafkaHandler implements WorkloadHandler {
  private Node node;
  private boolean clockMode;
  private long replMs, rewindMs, fwdAttemptMs, fwdDeadlineMs, commitSyncMs;
  private int pollMax;
  private static final int BATCH_MAX = 5000;

  /** Key → offset → message (own entries and replicated ones alike). */
  private final Map<String, TreeMap<Long, JsonNode>> logs = new HashMap<>();
  /** This node's own appends in order: the stream it replicates. */
  private final List<Object[]> sequence = new ArrayList<>();
  private final Map<String, Long> committed = new HashMap<>();
  private final Map<String, Peer> peers = new LinkedHashMap<>();

  // clock mode
  private int index, n;
  private long counter;
  /** Every offset this node will still assign is above this (its own last offset or a peer's watermark). */
  private long promise;

  // owner mode
  /** Forward id ("src/id") → offset given, so retried forwards append once. */
  private final Map<String, Long> forwarded = new HashMap<>();
  private long nextForwardId;
  /** This process's life number (durable, one higher after each restart). */
  private long life;

  /** What this node knows of a peer beyond the stream. */
  private static final class Peer {
    /** The peer's last watermark taken (latest state of its stream), or -1. */
    long wmReceived = -1;
    final Map<String, Long> commitsToSend = new HashMap<>();
  }

  /** Our appends to each peer, with acks, go-back-N and the watermark as the stream's latest state. */
  private PeerStreams<Object[]> streams;
  /** The watermark last set as the streams' latest state, and whether a newer one is being made durable. */
  private long wmOffered = Long.MIN_VALUE;
  private boolean wmSyncing;
  /** Own offsets assigned and waiting for their sync, oldest first. */
  private final java.util.ArrayDeque<Long> pendingOffsets = new java.util.ArrayDeque<>();
  /** Owner mode: the next dense offset of each key this node owns. */
  private final Map<String, Long> nextDense = new HashMap<>();

  @Override
  public void install(Node node) {
    this.node = node;
    String mode = node.settings().getOrDefault("mode", "clock");
    if (!mode.equals("clock") && !mode.equals("owner")) throw new IllegalArgumentException("mode must be clock or owner");
    clockMode = mode.equals("clock");
    replMs = setting("repl-ms", 50);
    rewindMs = setting("rewind-ms", 400);
    fwdAttemptMs = setting("fwd-attempt-ms", 1000);
    fwdDeadlineMs = setting("fwd-deadline-ms", 3500);
    commitSyncMs = setting("commit-sync-ms", 2000);
    pollMax = (int) setting("poll-max", 1000);
    node.onInit(() -> {
      n = node.nodeIds().size();
      index = node.nodeIds().indexOf(node.id());
      for (String p : node.otherNodeIds()) peers.put(p, new Peer());
      life = recover();
      disk().append(PeerStreams.lifeRecord(life));
      disk().sync(() -> startStreams(life));
    });
    node.on("send", this::send);
    node.on("poll", this::poll);
    node.on("commit_offsets", this::commitOffsets);
    node.on("list_committed_offsets", this::listCommitted);
    node.on("kf_fwd", this::ownerAppend);
    node.on("kf_repl", this::applyBatch);
  }

  // ------------------------------------------------------------------ durability

  private Storage disk() {
    return node.storage();
  }

  /**
   * Rebuilds what an earlier life made durable: its own appends (offsets, and in owner mode the forward
   * ids they answered), its commits, and the highest watermark it promised; returns this life's number.
   */
  private long recover() {
    long life = 1;
    for (byte[] rec : disk().recovered()) {
      long l = PeerStreams.lifeOf(rec);
      if (l >= 0) {
        life = Math.max(life, l + 1);
        continue;
      }
      JsonNode r;
      try {
        r = JsonLine.parseTree(new String(rec, StandardCharsets.UTF_8));
      } catch (Exception e) {
        throw new IllegalStateException("unreadable kafka record", e);
      }
      if (r.has("a")) {
        JsonNode a = r.get("a");
        long offset = a.get(1).asLong();
        appendDurable(a.get(0).asText(), offset, a.get(2));
        if (clockMode) counter = Math.max(counter, Math.floorDiv(offset, n));
        else nextDense.merge(a.get(0).asText(), offset + 1, Math::max);
        if (r.has("f")) forwarded.put(r.get("f").asText(), offset);
      }
      if (r.has("c")) r.get("c").fields().forEachRemaining(e -> mergeCommit(e.getKey(), e.getValue().asLong()));
      if (r.has("w")) promise = Math.max(promise, r.get("w").asLong());
    }
    counter = Math.max(counter, Math.floorDiv(promise, n));
    return life;
  }

  private void write(ObjectNode record) {
    disk().append(JsonLine.write(record).getBytes(StandardCharsets.UTF_8));
  }

  private void startStreams(long life) {
    streams = new PeerStreams<Object[]>(node, life, rewindMs, 0, new PeerStreams.Transport<>() {
      @Override
      public void send(PeerStreams<Object[]>.Link link) {
        sendBatch(link, true);
      }

      @Override
      public void peerRestarted(PeerStreams<Object[]>.Link link) {
        for (Object[] e : sequence) link.offer(e);
        if (clockMode && wmOffered != Long.MIN_VALUE) link.setLatest(LongNode.valueOf(wmOffered));
        Peer p = peers.get(link.peer());
        if (p != null) committed.forEach((k, o) -> p.commitsToSend.merge(k, o, Math::max));
      }
    }).start(peers.keySet());
    for (PeerStreams<Object[]>.Link l : streams.links()) for (Object[] e : sequence) l.offer(e);
    if (!peers.isEmpty()) {
      node.every(replMs, this::replicate);
      node.every(commitSyncMs, this::resyncCommits);
    }
  }

  private long setting(String name, long dflt) {
    String v = node.settings().get(name);
    return v == null ? dflt : Long.parseLong(v);
  }

  String owner(String key) {
    List<String> ids = node.nodeIds();
    return ids.get(Math.floorMod(key.hashCode(), ids.size()));
  }

  /** Every offset this node will still make durable is above this; an offset waiting for its sync is not. */
  private long watermark() {
    long w = Math.max(promise, counter * n + index);
    return pendingOffsets.isEmpty() ? w : Math.min(w, pendingOffsets.peekFirst() - 1);
  }

  /** Offsets up to here are complete on this node: no node can add anything at or below it. */
  private long stable() {
    if (!clockMode) return Long.MAX_VALUE;
    long s = watermark();
    for (Peer p : peers.values()) s = Math.min(s, p.wmReceived);
    return s;
  }

  // ------------------------------------------------------------------ client RPCs

  private void send(Message msg) {
    String key = key(msg.body().get("key"));
    JsonNode value = msg.body().get("msg");
    if (value == null) throw RpcException.malformed("send needs a msg");
    if (clockMode) {
      long offset = ++counter * n + index;
      append(key, offset, value, null, () -> {
        promise = Math.max(promise, offset);
        replySendOk(msg, offset);
      });
      return;
    }
    String owner = owner(key);
    if (owner.equals(node.id())) {
      long offset = nextDense.merge(key, 1L, Long::sum) - 1;
      append(key, offset, value, null, () -> replySendOk(msg, offset));
      return;
    }
    ObjectNode fwd = node.body("kf_fwd");
    // unique across our lives too: the owner remembers ids durably, and a restarted forwarder must not
    // reuse one for a different message
    fwd.put("id", life + "." + ++nextForwardId);
    fwd.put("key", key);
    fwd.set("msg", value);
    forward(msg, owner, fwd, node.nowMillis() + fwdDeadlineMs);
  }

  private void forward(Message client, String owner, ObjectNode fwd, long deadline) {
    long timeout = Math.max(1, Math.min(fwdAttemptMs, deadline - node.nowMillis()));
    node.rpc(owner, fwd.deepCopy(), timeout).whenComplete((reply, err) -> {
      if (err == null) {
        replySendOk(client, reply.body().get("offset").longValue());
      } else if (node.nowMillis() + 1 < deadline) {
        forward(client, owner, fwd, deadline);
      } else {
        node.replyError(client, ErrorCode.CRASH.code, "owner " + owner + " of this key is unreachable; the send may or may not happen");
      }
    });
  }

  private void replySendOk(Message msg, long offset) {
    ObjectNode r = node.body("send_ok");
    r.put("offset", offset);
    node.reply(msg, r);
  }

  private void poll(Message msg) {
    JsonNode offsets = msg.body().get("offsets");
    if (offsets == null || !offsets.isObject()) throw RpcException.malformed("poll needs an offsets object");
    long stable = stable();
    ObjectNode msgs = JsonLine.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = offsets.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      TreeMap<Long, JsonNode> log = logs.get(e.getKey());
      long from = e.getValue().asLong();
      if (log == null || from > stable) continue;
      ArrayNode pairs = null; // keys with nothing are omitted
      int count = 0;
      for (Map.Entry<Long, JsonNode> m : log.subMap(from, true, stable, true).entrySet()) {
        if (pairs == null) pairs = msgs.putArray(e.getKey());
        ArrayNode pair = pairs.addArray();
        pair.add(m.getKey());
        pair.add(m.getValue());
        if (++count >= pollMax) break;
      }
    }
    ObjectNode r = node.body("poll_ok");
    r.set("msgs", msgs);
    node.reply(msg, r);
  }

  private void commitOffsets(Message msg) {
    JsonNode offsets = msg.body().get("offsets");
    if (offsets == null || !offsets.isObject()) throw RpcException.malformed("commit_offsets needs an offsets object");
    ObjectNode record = JsonLine.object();
    record.set("c", offsets);
    write(record);
    // Visible, replicated and acknowledged only once durable, so a committed offset never goes back.
    disk().sync(() -> {
      for (Iterator<Map.Entry<String, JsonNode>> it = offsets.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        long o = e.getValue().asLong();
        if (mergeCommit(e.getKey(), o)) {
          for (Peer p : peers.values()) p.commitsToSend.merge(e.getKey(), o, Math::max);
        }
      }
      node.reply(msg, node.body("commit_offsets_ok"));
    });
  }

  private boolean mergeCommit(String key, long offset) {
    Long old = committed.get(key);
    if (old != null && old >= offset) return false;
    committed.put(key, offset);
    return true;
  }

  private void listCommitted(Message msg) {
    JsonNode keys = msg.body().get("keys");
    if (keys == null || !keys.isArray()) throw RpcException.malformed("list_committed_offsets needs keys");
    ObjectNode offsets = JsonLine.object();
    for (JsonNode k : keys) {
      Long o = committed.get(k.asText());
      if (o != null) offsets.put(k.asText(), o);
    }
    ObjectNode r = node.body("list_committed_offsets_ok");
    r.set("offsets", offsets);
    node.reply(msg, r);
  }

  private static String key(JsonNode k) {
    if (k == null || !(k.isTextual() || k.isIntegralNumber())) throw RpcException.malformed("key must be a string");
    return k.asText();
  }

  // ------------------------------------------------------------------ appends

  /**
   * Writes an own append and, once it is durable, makes it visible to polls, queues it for the peers and
   * runs {@code then} (the acknowledgement). Until then its offset holds the watermark below it, so no
   * poll here or elsewhere can pass over it while it is missing.
   */
  private void append(String key, long offset, JsonNode value, String forwardId, Runnable then) {
    ObjectNode record = JsonLine.object();
    ArrayNode a = record.putArray("a");
    a.add(key);
    a.add(offset);
    a.add(value);
    if (forwardId != null) record.put("f", forwardId);
    write(record);
    pendingOffsets.addLast(offset);
    disk().sync(() -> {
      pendingOffsets.remove(offset);
      Object[] entry = appendDurable(key, offset, value);
      if (streams != null) for (PeerStreams<Object[]>.Link l : streams.links()) l.offer(entry);
      then.run();
    });
  }

  private Object[] appendDurable(String key, long offset, JsonNode value) {
    logs.computeIfAbsent(key, k -> new TreeMap<>()).put(offset, value);
    Object[] entry = {key, offset, value};
    sequence.add(entry);
    return entry;
  }

  private void ownerAppend(Message msg) {
    String id = msg.src() + "/" + msg.body().path("id").asText();
    String key = key(msg.body().get("key"));
    if (clockMode || !owner(key).equals(node.id())) throw RpcException.malformed("not the owner of " + key);
    Long known = forwarded.get(id);
    long offset = known != null ? known : nextDense.merge(key, 1L, Long::sum) - 1;
    Runnable answer = () -> {
      ObjectNode r = node.body("kf_fwd_ok");
      r.put("offset", offset);
      node.reply(msg, r);
    };
    if (known != null) {
      disk().sync(answer); // a retry of an append that may still be waiting for its sync
      return;
    }
    forwarded.put(id, offset);
    append(key, offset, msg.body().get("msg"), id, answer);
  }

  // ------------------------------------------------------------------ replication

  /**
   * One batch per peer and interval, only when there is something to say: new entries, a changed
   * watermark (resent until acknowledged, even alone), an owed ack, or commits. Entries go out once while
   * acks progress; after {@code rewind-ms} without progress the batch goes back to the acknowledged entry.
   */
  private void replicate() {
    if (clockMode && watermark() != wmOffered && !wmSyncing) {
      // A watermark is a promise about every future life of this node too: durable before anyone hears it.
      long wm = watermark();
      ObjectNode record = JsonLine.object();
      record.put("w", wm);
      write(record);
      wmSyncing = true;
      disk().sync(() -> {
        wmSyncing = false;
        wmOffered = wm;
        for (PeerStreams<Object[]>.Link l : streams.links()) l.setLatest(LongNode.valueOf(wm));
        sendBatches();
      });
      return;
    }
    sendBatches();
  }

  private void sendBatches() {
    long now = node.nowMillis();
    for (PeerStreams<Object[]>.Link l : streams.links()) {
      boolean stalled = l.stalledSince() >= 0 && now - l.stalledSince() > rewindMs;
      if (stalled || l.hasUnsent() || l.ackOwed() || !peers.get(l.peer()).commitsToSend.isEmpty()) sendBatch(l, stalled);
    }
  }

  private void sendBatch(PeerStreams<Object[]>.Link l, boolean fromAcked) {
    ObjectNode b = node.body("kf_repl");
    ArrayNode entries = b.putArray("entries");
    for (Object[] en : l.stamp(b, fromAcked, BATCH_MAX)) {
      ArrayNode a = entries.addArray();
      a.add((String) en[0]);
      a.add((Long) en[1]);
      a.add((JsonNode) en[2]);
    }
    Peer p = peers.get(l.peer());
    if (p != null && !p.commitsToSend.isEmpty()) {
      ObjectNode c = b.putObject("commits");
      p.commitsToSend.forEach(c::put);
      p.commitsToSend.clear();
    }
    node.send(l.peer(), b);
  }

  private void resyncCommits() {
    for (Peer p : peers.values()) committed.forEach((k, o) -> p.commitsToSend.merge(k, o, Math::max));
  }

  private void applyBatch(Message msg) {
    Peer p = peers.get(msg.src());
    if (p == null || streams == null) return; // not started yet: the sender resends
    ObjectNode b = msg.body();
    JsonNode entries = b.path("entries");
    PeerStreams.Receipt r = streams.receive(msg.src(), b, entries.size());
    if (r.stale()) return;
    for (int i = r.firstNew(); i < entries.size(); i++) {
      JsonNode en = entries.get(i);
      logs.computeIfAbsent(en.get(0).asText(), k -> new TreeMap<>()).put(en.get(1).asLong(), en.get(2));
    }
    // The watermark comes only once we hold the sender's stream up to where it was set, so it
    // completes that stream: the sender will never add an entry at or below it.
    if (clockMode && r.latest() != null && r.latest().asLong() > p.wmReceived) {
      p.wmReceived = r.latest().asLong();
      // Lamport: our next offset, (counter+1)·n + index, is above it, so we may promise it too.
      counter = Math.max(counter, Math.floorDiv(p.wmReceived, n));
      promise = Math.max(promise, p.wmReceived);
    }
    JsonNode commits = b.get("commits");
    if (commits != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = commits.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        mergeCommit(e.getKey(), e.getValue().asLong());
      }
    }
  }
}
