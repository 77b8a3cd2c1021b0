package glomers.workloads.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Cancellable;
import glomers.node.Node;
import glomers.protocol.Json;
import glomers.protocol.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The totally available, read-committed engine (challenges 6a, 6b, 6c; txn-list-append under partitions).
 *
 * <p><b>Execution.</b> A transaction runs start to finish inside one event-loop task, so on its own node it
 * is trivially atomic and isolated: its reads see committed state plus its own earlier writes, and its
 * writes are installed all at once at the end. No transaction ever waits for another node, so partitions
 * cannot make a client wait or fail, and no transaction ever aborts (with {@code --availability total} an
 * abort would fail the run anyway).
 *
 * <p><b>Replication.</b> A committed transaction with writes gets a version {@code (lamport, node index)}
 * with a Lamport clock that is advanced past every version the node has seen, and its <em>final</em> write
 * per key (registers) or all its appends (lists) become one log entry with a per-origin sequence number.
 * Every {@code sync-ms} (default 100) each node sends each peer one {@code txn_sync} message: its own log
 * entries the peer has not acknowledged (at most {@code sync-batch}), its clock, and the highest contiguous
 * sequence number it holds from that peer (the acknowledgement). Anything lost to a partition is simply
 * resent by a later sync; acknowledged entries are dropped. The cost is O(nodes²) small messages per period
 * regardless of load.
 *
 * <p><b>Replicate before acknowledging.</b> The periodic sync alone would answer every transaction from
 * purely local state, so at high rates almost every read on one node misses appends the other node has
 * just acknowledged. Read committed allows that, but each such read closes a realtime cycle, and together
 * they glue thousands of transactions into one strongly connected component that Elle's time-bounded cycle
 * search cannot decide (docs/txn.md#large-sccs-and-maelstroms-cycle-search-timeout). So a transaction with
 * writes is pushed at once to every reachable peer (the same message as a sync, flagged {@code reply}) and
 * acknowledged when each of them has acknowledged it, or after {@code repl-wait-ms} (default 5) at the
 * latest: total availability never depends on a peer. A peer that missed that bound is treated as
 * unreachable, and transactions commit locally without waiting, until any message from it arrives again
 * (writing transactions meanwhile send it an empty probe asking for a reply, at most one per bound, so the
 * end of a partition is noticed within a round trip); the periodic sync still carries whatever a push lost. The price is about one round trip of latency and two
 * server messages per writing transaction.
 *
 * <p><b>Registers</b> merge last-writer-wins on the version, which converges once every entry has arrived.
 * Only final values travel, so intermediate writes never escape (no G1b), nothing aborts (no G1a), and every
 * dependency Elle can infer (wr, and ww from writes-follow-reads) points along happens-before, so there is no
 * G0/G1c cycle.
 *
 * <p><b>Lists</b> cannot merge by last-writer-wins (that loses appends) and must never show two nodes
 * different orders (Elle's {@code incompatible-order} is read-committed-fatal). So a node exposes only the
 * <em>stable</em> prefix: entries whose Lamport time is at most {@code min} over all nodes of the clock that
 * node last announced together with all of its entries up to then; no entry can later appear below that
 * bound, so the order (lamport, node, position) of the stable prefix is final and identical everywhere. Reads
 * are therefore somewhat stale (two sync periods without partitions; frozen during one), and a transaction
 * does not see its own appends in its reads — Elle reports that as {@code internal}, which read committed
 * permits; use {@code mode=strict} when it matters.
 */
final class ReplicatedEngine implements TxnHandler.Engine {
  private record Entry(int origin, long seq, long lamport, ArrayNode writes) {}

  private record Version(JsonNode value, long lamport, int origin) {}

  /** A reply held until the peers in {@code awaiting} have acknowledged sequence number {@code seq}. */
  private record Held(Message request, ArrayNode out, long seq, List<String> awaiting, Cancellable timer) {}

  private final TxnHandler.Model model;
  private Node node;
  private int me;
  private long clock;
  private long syncMs;
  private int batch;
  private long waitMs;
  private final TreeMap<Long, Held> held = new TreeMap<>();
  private final Set<String> unreachable = new HashSet<>();
  private final Map<String, Long> lastProbe = new HashMap<>();

  private final ArrayDeque<Entry> ownLog = new ArrayDeque<>();
  private long ownSeq;
  private final Map<String, Long> ackedBy = new HashMap<>();
  private final Map<String, Long> contiguous = new HashMap<>();
  private final Map<String, TreeMap<Long, Entry>> early = new HashMap<>();
  private final Map<String, Long> announced = new HashMap<>();

  private final Map<JsonNode, Version> registers = new HashMap<>();
  private final Map<JsonNode, ArrayNode> lists = new HashMap<>();
  private final PriorityQueue<Entry> unstable =
      new PriorityQueue<>(Comparator.comparingLong(Entry::lamport).thenComparingInt(Entry::origin).thenComparingLong(Entry::seq));

  ReplicatedEngine(TxnHandler.Model model) {
    this.model = model;
  }

  @Override
  public void install(Node node) {
    this.node = node;
    this.syncMs = Long.parseLong(node.settings().getOrDefault("sync-ms", "100"));
    this.batch = Integer.parseInt(node.settings().getOrDefault("sync-batch", "1000"));
    this.waitMs = Long.parseLong(node.settings().getOrDefault("repl-wait-ms", "5"));
    node.onInit(() -> {
      me = node.nodeIds().indexOf(node.id());
      for (String p : node.otherNodeIds()) {
        ackedBy.put(p, 0L);
        contiguous.put(p, 0L);
        announced.put(p, 0L);
        early.put(p, new TreeMap<>());
      }
      if (!node.otherNodeIds().isEmpty()) node.every(syncMs, this::sync);
    });
    node.on("txn_sync", this::onSync);
  }

  @Override
  public void execute(Message request, ArrayNode txn) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    Map<JsonNode, JsonNode> written = new LinkedHashMap<>();
    ArrayNode appends = Json.MAPPER.createArrayNode();
    for (JsonNode mop : txn) {
      String f = mop.get(0).asText();
      JsonNode k = mop.get(1);
      if (f.equals("r")) {
        out.add(TxnHandler.mop("r", k, read(k, written)));
      } else {
        written.put(k, mop.get(2));
        if (model == TxnHandler.Model.LIST) appends.add(TxnHandler.mop(f, k, mop.get(2)));
        out.add(mop);
      }
    }
    if (written.isEmpty()) {
      node.reply(request, TxnHandler.ok(node, out));
      return;
    }
    long seq = commit(written, appends);
    List<String> awaiting = new ArrayList<>();
    for (String p : node.otherNodeIds()) {
      if (unreachable.contains(p)) {
        probe(p);
        continue;
      }
      ObjectNode push = syncBody(p, batch);
      push.put("reply", true);
      node.send(p, push);
      awaiting.add(p);
    }
    if (awaiting.isEmpty() || waitMs <= 0) {
      node.reply(request, TxnHandler.ok(node, out));
      return;
    }
    held.put(seq, new Held(request, out, seq, awaiting, node.after(waitMs, () -> giveUp(seq))));
  }

  /**
   * Asks a silent peer for a reply without resending the backlog, at most once per {@code repl-wait-ms}, so
   * that the end of a partition is noticed within a round trip rather than at the next sync.
   */
  private void probe(String p) {
    long now = node.nowMillis();
    if (now - lastProbe.getOrDefault(p, Long.MIN_VALUE / 2) < waitMs) return;
    lastProbe.put(p, now);
    ObjectNode body = syncBody(p, 0);
    body.put("reply", true);
    node.send(p, body);
  }

  /** The bound passed without every peer's acknowledgement: commit locally and stop waiting for the silent peers. */
  private void giveUp(long seq) {
    Held h = held.remove(seq);
    if (h == null) return;
    for (String p : h.awaiting()) if (ackedBy.get(p) < seq) unreachable.add(p);
    node.reply(h.request(), TxnHandler.ok(node, h.out()));
    release();
  }

  /** Releases every held reply whose entry all its awaited peers now hold. */
  private void release() {
    while (!held.isEmpty()) {
      Held h = held.firstEntry().getValue();
      for (String p : h.awaiting()) if (ackedBy.get(p) < h.seq() && !unreachable.contains(p)) return;
      held.pollFirstEntry();
      h.timer().cancel();
      node.reply(h.request(), TxnHandler.ok(node, h.out()));
    }
  }

  private JsonNode read(JsonNode k, Map<JsonNode, JsonNode> written) {
    if (model == TxnHandler.Model.REGISTER) {
      if (written.containsKey(k)) return written.get(k);
      Version v = registers.get(k);
      return v == null ? null : v.value();
    }
    ArrayNode l = lists.get(k);
    return l == null ? null : l.deepCopy();
  }

  private long commit(Map<JsonNode, JsonNode> written, ArrayNode appends) {
    long lamport = ++clock;
    ArrayNode writes;
    if (model == TxnHandler.Model.REGISTER) {
      writes = Json.MAPPER.createArrayNode();
      written.forEach((k, v) -> writes.add(TxnHandler.mop("w", k, v)));
    } else {
      writes = appends;
    }
    Entry e = new Entry(me, ++ownSeq, lamport, writes);
    ownLog.add(e);
    apply(e);
    if (model == TxnHandler.Model.LIST) advanceStable();
    return e.seq();
  }

  private void apply(Entry e) {
    if (model == TxnHandler.Model.LIST) {
      unstable.add(e);
      return;
    }
    for (JsonNode w : e.writes()) {
      JsonNode k = w.get(1);
      Version cur = registers.get(k);
      if (cur == null || cur.lamport() < e.lamport() || (cur.lamport() == e.lamport() && cur.origin() < e.origin())) {
        registers.put(k, new Version(w.get(2), e.lamport(), e.origin()));
      }
    }
  }

  /** Moves every entry at or below the stability bound into the visible lists, in version order. */
  private void advanceStable() {
    long bound = clock;
    for (long c : announced.values()) bound = Math.min(bound, c);
    while (!unstable.isEmpty() && unstable.peek().lamport() <= bound) {
      Entry e = unstable.poll();
      for (JsonNode w : e.writes()) lists.computeIfAbsent(w.get(1), k -> Json.MAPPER.createArrayNode()).add(w.get(2));
    }
  }

  private void sync() {
    for (String p : node.otherNodeIds()) node.send(p, syncBody(p, batch));
  }

  /**
   * What {@code p} has not acknowledged of the own log (at most {@code limit} entries), the clock this
   * node vouches for with them, and the acknowledgement of {@code p}'s entries.
   */
  private ObjectNode syncBody(String p, int limit) {
    long acked = ackedBy.get(p);
    ArrayNode entries = Json.MAPPER.createArrayNode();
    long upto = acked;
    long announce = clock;
    for (Entry e : ownLog) {
      if (e.seq() <= acked) continue;
      if (entries.size() >= limit) {
        // Truncated batch: only vouch for the clock up to the last entry sent (with none sent, upto names
        // the whole log, which p cannot claim to hold, so it takes no clock from this message).
        if (entries.isEmpty()) upto = ownSeq;
        else announce = ((ArrayNode) entries.get(entries.size() - 1)).get(1).asLong();
        break;
      }
      ArrayNode a = Json.MAPPER.createArrayNode();
      a.add(e.seq());
      a.add(e.lamport());
      a.add(e.writes());
      entries.add(a);
      upto = e.seq();
    }
    ObjectNode body = node.body("txn_sync");
    body.set("entries", entries);
    body.put("upto", upto);
    body.put("clock", announce);
    body.put("ack", contiguous.get(p));
    return body;
  }

  private void onSync(Message msg) {
    String src = msg.src();
    if (!contiguous.containsKey(src)) return;
    int origin = node.nodeIds().indexOf(src);
    TreeMap<Long, Entry> buf = early.get(src);
    for (JsonNode a : msg.body().path("entries")) {
      long seq = a.get(0).asLong();
      if (seq > contiguous.get(src)) buf.put(seq, new Entry(origin, seq, a.get(1).asLong(), (ArrayNode) a.get(2)));
    }
    long have = contiguous.get(src);
    while (!buf.isEmpty() && buf.firstKey() == have + 1) {
      apply(buf.pollFirstEntry().getValue());
      have++;
    }
    contiguous.put(src, have);
    long theirClock = msg.body().path("clock").asLong();
    if (have >= msg.body().path("upto").asLong()) announced.merge(src, theirClock, Math::max);
    clock = Math.max(clock, theirClock);
    ackedBy.merge(src, msg.body().path("ack").asLong(), Math::max);
    long minAck = Long.MAX_VALUE;
    for (long v : ackedBy.values()) minAck = Math.min(minAck, v);
    while (!ownLog.isEmpty() && ownLog.peek().seq() <= minAck) ownLog.poll();
    if (model == TxnHandler.Model.LIST) advanceStable();
    unreachable.remove(src);
    if (msg.body().path("reply").asBoolean(false)) node.send(src, syncBody(src, batch));
    release();
  }

  /** Test hook: the visible value of a key (register value or list), null if absent. */
  JsonNode visible(JsonNode k) {
    return read(k, Map.of());
  }

  int unacked() {
    return ownLog.size();
  }

  List<String> peers() {
    return new ArrayList<>(contiguous.keySet());
  }
}
