package glomers.workloads.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Cancellable;
import glomers.node.Node;
import glomers.node.stream.PeerStreams;
import glomers.protocol.Json;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;
import java.nio.charset.StandardCharsets;
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
 * per key (registers) or all its appends (lists) become one entry with a per-origin sequence number. Entries
 * travel over {@link PeerStreams} (one ordered stream per peer, cumulative acks, retransmission every
 * {@code rto-ms}, default {@code sync-ms}); every {@code sync-ms} (default 100) each node sends each peer
 * its entries not sent yet (at most {@code sync-batch}) and announces its clock as the stream's latest
 * state, which the peer takes only once it holds every entry offered before it. A node takes an entry once
 * by its {@code (origin, seq)}, so the copies a restart brings change nothing.
 *
 * <p><b>Durability.</b> An entry is appended to {@link Node#storage()} and becomes visible, here or
 * anywhere, only once the sync covering it completes: a write seen before it is durable could vanish with a
 * crash, and a list would then show a different order. A restarted node replays its own entries (so its
 * sequence numbers go on, and they are offered to every peer again), resumes its clock above every clock it
 * announced (announced clocks are synced first: an entry of a later life below a bound a peer already
 * exposed would reorder a list), and opens its streams under a new life; each peer then offers it every
 * entry it holds. The cost is one sync per writing transaction (group-committed by the store) before the
 * push.
 *
 * <p><b>Replicate before acknowledging.</b> The periodic sync alone would answer every transaction from
 * purely local state, so at high rates almost every read on one node misses appends the other node has
 * just acknowledged. Read committed allows that, but each such read is an rw anti-dependency from the reader
 * back to an append ordered before the reader's own writes, and together they glue thousands of transactions
 * into one strongly connected component that Elle's time-bounded cycle search cannot decide
 * (docs/txn.md#large-sccs-and-maelstroms-cycle-search-timeout). So a transaction with
 * writes is pushed at once to every reachable peer (the same message as a sync, flagged {@code reply}) and
 * acknowledged when each of them has acknowledged it, or after {@code repl-wait-ms} (default 5) at the
 * latest: total availability never depends on a peer. A peer that missed that bound is treated as
 * unreachable, and transactions commit locally without waiting, until any message from it arrives again
 * (writing transactions meanwhile send it an empty probe asking for a reply, at most one per bound, so the
 * end of a partition is noticed within a round trip); the streams still deliver whatever a push lost. The
 * peer answers a push once its clock, advanced past the entry, is durable, and the answer announces that
 * clock: by its {@code txn_ok} the pusher's own stable bound covers the entry, so the next transaction on
 * the pusher sees the append. The price is about one round trip of latency (plus a clock sync on the peer)
 * and two server messages per writing transaction.
 *
 * <p><b>Catch-up after a silence.</b> The first message from a peer marked unreachable brings it, at once
 * and in one message, every entry it has not acknowledged, and the peer does the same in its reply when it
 * had stopped waiting for this node too. The streams alone would resend such a backlog one {@code
 * sync-batch} per {@code rto-ms}, half a second and more after a partition of ten seconds at rate 1000, and
 * all that time both sides would read the frozen pre-partition prefix while writing above it. The
 * trade-off is one large message per heal (the partition's backlog) instead of a steady trickle.
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

  /** A peer's copy of an entry: acknowledged once the peer's ack passes {@code pos} of that link life. */
  private record Await(String peer, long pos, long life) {}

  /** A reply held until the peers in {@code awaiting} have acknowledged its entry. */
  private record Held(Message request, ArrayNode out, List<Await> awaiting, Cancellable timer) {}

  /** What this node offered a peer in the current life of the link (it restarts when the peer does). */
  private static final class Offered {
    long count;
    long life;
    long announcedClock = -1;
  }

  private static final String ENTRY = "e";
  private static final String CLOCK = "c";

  private final TxnHandler.Model model;
  private Node node;
  private int me;
  private long clock;
  /** The highest clock that storage holds: the most this node vouches for, since a restart resumes there. */
  private long durableClock;
  private boolean clockSyncing;
  private long syncMs;
  private long rtoMs;
  private int batch;
  private long waitMs;
  private PeerStreams<Entry> streams;
  private final TreeMap<Long, Held> held = new TreeMap<>();
  private final Set<String> unreachable = new HashSet<>();
  private final Map<String, Long> lastProbe = new HashMap<>();
  /** Peers whose push asked for a reply, with the clock the reply must vouch for. */
  private final Map<String, Long> replyOwed = new HashMap<>();
  private final Map<String, Offered> offered = new HashMap<>();

  private long ownSeq;
  /** Lamport times of own entries waiting for their sync, oldest first (syncs complete in order). */
  private final ArrayDeque<Long> unsynced = new ArrayDeque<>();
  /** Every entry this node holds, in arrival order: offered whole to a peer that restarted. */
  private final List<Entry> known = new ArrayList<>();
  private final Map<Integer, Set<Long>> seen = new HashMap<>();
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
    this.rtoMs = Long.parseLong(node.settings().getOrDefault("rto-ms", Long.toString(syncMs)));
    this.batch = Integer.parseInt(node.settings().getOrDefault("sync-batch", "1000"));
    this.waitMs = Long.parseLong(node.settings().getOrDefault("repl-wait-ms", "5"));
    node.onInit(this::recover);
    node.on("txn_sync", this::onSync);
  }

  /**
   * Replays the own entries and clocks of earlier lives, then opens the streams under a new life and
   * offers every peer the recovered entries again (a crash may have cut their delivery short).
   */
  private void recover() {
    me = node.nodeIds().indexOf(node.id());
    for (String p : node.otherNodeIds()) {
      announced.put(p, 0L);
      offered.put(p, new Offered());
    }
    long life = 1;
    for (byte[] rec : node.storage().recovered()) {
      long l = PeerStreams.lifeOf(rec);
      if (l >= 0) {
        life = Math.max(life, l + 1);
        continue;
      }
      String s = new String(rec, StandardCharsets.UTF_8);
      if (s.startsWith(CLOCK)) {
        clock = Math.max(clock, Long.parseLong(s.substring(CLOCK.length())));
        continue;
      }
      ArrayNode a = (ArrayNode) parse(s.substring(ENTRY.length()));
      Entry e = new Entry(me, a.get(0).asLong(), a.get(1).asLong(), (ArrayNode) a.get(2));
      ownSeq = Math.max(ownSeq, e.seq());
      learn(e);
    }
    durableClock = clock;
    if (model == TxnHandler.Model.LIST) advanceStable();
    long thisLife = life;
    node.storage().append(PeerStreams.lifeRecord(thisLife));
    node.storage().sync(() -> {
      streams = new PeerStreams<Entry>(node, thisLife, rtoMs, syncMs, new PeerStreams.Transport<>() {
        @Override
        public void send(PeerStreams<Entry>.Link link) {
          push(link, true, false);
        }

        @Override
        public void peerRestarted(PeerStreams<Entry>.Link link) {
          Offered o = offered.get(link.peer());
          o.life++;
          o.count = 0;
          o.announcedClock = -1;
          for (Entry e : known) offer(link, e);
        }
      }).start(node.otherNodeIds());
      for (Entry e : known) for (PeerStreams<Entry>.Link l : streams.links()) offer(l, e);
      if (!node.otherNodeIds().isEmpty()) node.every(syncMs, this::tick);
    });
  }

  private static JsonNode parse(String json) {
    try {
      return JsonLine.parseTree(json);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable txn record", e);
    }
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
    Entry e = commit(written, appends);
    node.storage().sync(() -> {
      durableClock = Math.max(durableClock, e.lamport());
      publish(e);
      replicate(request, out, e);
    });
  }

  /**
   * Stamps the writes with the next version and writes them to storage. They stay invisible, here and
   * everywhere, until the sync completes: a write seen before it is durable could vanish with a crash.
   */
  private Entry commit(Map<JsonNode, JsonNode> written, ArrayNode appends) {
    ArrayNode writes;
    if (model == TxnHandler.Model.REGISTER) {
      writes = Json.MAPPER.createArrayNode();
      written.forEach((k, v) -> writes.add(TxnHandler.mop("w", k, v)));
    } else {
      writes = appends;
    }
    Entry e = new Entry(me, ++ownSeq, ++clock, writes);
    unsynced.add(e.lamport());
    ArrayNode rec = Json.MAPPER.createArrayNode();
    rec.add(e.seq());
    rec.add(e.lamport());
    rec.add(e.writes());
    node.storage().append((ENTRY + JsonLine.write(rec)).getBytes(StandardCharsets.UTF_8));
    return e;
  }

  /** The entry is durable: make it visible and queue it for every peer. */
  private void publish(Entry e) {
    unsynced.poll();
    learn(e);
    if (model == TxnHandler.Model.LIST) advanceStable();
    for (PeerStreams<Entry>.Link l : streams.links()) {
      offer(l, e);
      announce(l);
    }
  }

  /** Vouches for the durable clock on a link, after every own entry up to it (the stream's latest state). */
  private void announce(PeerStreams<Entry>.Link l) {
    Offered o = offered.get(l.peer());
    if (o.announcedClock == durableClock) return;
    o.announcedClock = durableClock;
    l.setLatest(LongNode.valueOf(durableClock));
  }

  private void offer(PeerStreams<Entry>.Link l, Entry e) {
    l.offer(e);
    offered.get(l.peer()).count++;
  }

  /** Pushes the entry to every reachable peer and answers once they hold it, or after the bound. */
  private void replicate(Message request, ArrayNode out, Entry e) {
    List<Await> awaiting = new ArrayList<>();
    for (PeerStreams<Entry>.Link l : streams.links()) {
      String p = l.peer();
      if (unreachable.contains(p)) {
        probe(l);
        continue;
      }
      Offered o = offered.get(p);
      awaiting.add(new Await(p, o.count - 1, o.life));
      push(l, false, true);
    }
    if (awaiting.isEmpty() || waitMs <= 0) {
      node.reply(request, TxnHandler.ok(node, out));
      return;
    }
    long seq = e.seq();
    held.put(seq, new Held(request, out, awaiting, node.after(waitMs, () -> giveUp(seq))));
  }

  /**
   * Asks a silent peer for a reply without resending the backlog, at most once per {@code repl-wait-ms}, so
   * that the end of a partition is noticed within a round trip rather than at the next sync.
   */
  private void probe(PeerStreams<Entry>.Link l) {
    long now = node.nowMillis();
    if (now - lastProbe.getOrDefault(l.peer(), Long.MIN_VALUE / 2) < waitMs) return;
    lastProbe.put(l.peer(), now);
    push(l, false, true, 0);
  }

  private boolean holds(Await a) {
    Offered o = offered.get(a.peer());
    // a peer that restarted since gets the entry again with everything else
    if (o.life != a.life()) return true;
    return o.count - streams.link(a.peer()).pending().size() > a.pos();
  }

  /** The bound passed without every peer's acknowledgement: commit locally and stop waiting for the silent peers. */
  private void giveUp(long seq) {
    Held h = held.remove(seq);
    if (h == null) return;
    for (Await a : h.awaiting()) if (!holds(a)) unreachable.add(a.peer());
    node.reply(h.request(), TxnHandler.ok(node, h.out()));
    release();
  }

  /** Releases every held reply whose entry all its awaited peers now hold. */
  private void release() {
    while (!held.isEmpty()) {
      Held h = held.firstEntry().getValue();
      for (Await a : h.awaiting()) if (!holds(a) && !unreachable.contains(a.peer())) return;
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

  /** Takes an entry once: a restarted peer's entries come again, from it and from the others. */
  private boolean learn(Entry e) {
    if (!seen.computeIfAbsent(e.origin(), o -> new HashSet<>()).add(e.seq())) return false;
    known.add(e);
    clock = Math.max(clock, e.lamport());
    apply(e);
    return true;
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
    // an own entry still syncing will land at its lamport: nothing at or above it is final yet
    if (!unsynced.isEmpty()) bound = Math.min(bound, unsynced.peek() - 1);
    while (!unstable.isEmpty() && unstable.peek().lamport() <= bound) {
      Entry e = unstable.poll();
      for (JsonNode w : e.writes()) lists.computeIfAbsent(w.get(1), k -> Json.MAPPER.createArrayNode()).add(w.get(2));
    }
  }

  /**
   * Every {@code sync-ms}: makes the clock durable before vouching for it, announces the durable clock to
   * each peer (the stream's latest state), sends entries not sent yet, and goes back to the acknowledged
   * position on a link whose acks stopped moving while traffic flowed.
   */
  private void tick() {
    syncClock();
    long now = node.nowMillis();
    for (PeerStreams<Entry>.Link l : streams.links()) {
      announce(l);
      boolean stalled = l.stalledSince() >= 0 && now - l.stalledSince() >= rtoMs;
      if (l.hasUnsent() || stalled) push(l, stalled, false);
    }
  }

  /**
   * Makes a clock learnt from peers durable (one sync at a time): a restarted node resumes above it, so no
   * entry of a later life can fall below a bound it announced in this one.
   */
  private void syncClock() {
    if (clock > durableClock && !clockSyncing) {
      long c = clock;
      clockSyncing = true;
      node.storage().append((CLOCK + c).getBytes(StandardCharsets.UTF_8));
      node.storage().sync(() -> {
        clockSyncing = false;
        durableClock = Math.max(durableClock, c);
        answerOwed();
        if (!replyOwed.isEmpty()) syncClock();
      });
    }
  }

  /**
   * Answers each push that asked for a reply once this node vouches for every entry the push brought: the
   * reply then announces a clock at or above them, and the pusher can expose its own appends before its
   * {@code txn_ok} instead of at this node's next write or tick.
   */
  private void answerOwed() {
    replyOwed.entrySet().removeIf(o -> {
      if (o.getValue() > durableClock) return false;
      PeerStreams<Entry>.Link l = streams.link(o.getKey());
      announce(l);
      push(l, false, false);
      return true;
    });
  }

  private void push(PeerStreams<Entry>.Link l, boolean fromAcked, boolean reply) {
    push(l, fromAcked, reply, batch);
  }

  /**
   * One {@code txn_sync}: the stream fields (acks, the announced clock) and up to {@code max} entries, each
   * {@code [origin, seq, lamport, writes]}; {@code reply} asks the peer to answer at once.
   */
  private void push(PeerStreams<Entry>.Link l, boolean fromAcked, boolean reply, int max) {
    ObjectNode body = node.body("txn_sync");
    ArrayNode entries = body.putArray("entries");
    for (Entry e : l.stamp(body, fromAcked, max)) {
      ArrayNode a = entries.addArray();
      a.add(e.origin());
      a.add(e.seq());
      a.add(e.lamport());
      a.add(e.writes());
    }
    if (reply) body.put("reply", true);
    node.send(l.peer(), body);
  }

  private void onSync(Message msg) {
    String src = msg.src();
    if (streams == null || !offered.containsKey(src)) return; // not started yet: the sender resends
    JsonNode arr = msg.body().path("entries");
    PeerStreams.Receipt r = streams.receive(src, msg.body(), arr.size());
    boolean back = unreachable.remove(src);
    if (!r.stale()) {
      for (int i = r.firstNew(); i < arr.size(); i++) {
        JsonNode a = arr.get(i);
        learn(new Entry(a.get(0).asInt(), a.get(1).asLong(), a.get(2).asLong(), (ArrayNode) a.get(3)));
      }
      if (r.latest() != null) {
        long theirs = r.latest().asLong();
        announced.merge(src, theirs, Math::max);
        clock = Math.max(clock, theirs);
      }
      if (model == TxnHandler.Model.LIST) advanceStable();
      if (back) catchUp(streams.link(src));
      else if (msg.body().path("reply").asBoolean(false)) replyOwed.merge(src, clock, Math::max);
      syncClock();
      answerOwed();
    }
    release();
  }

  /**
   * A silent peer was heard again: everything it has not acknowledged goes out now, with the latest clock,
   * asking for its own backlog in reply. Until both backlogs have crossed, every read is stale and every
   * write lands above it, so each read-and-append transaction there closes a cycle with the others.
   */
  private void catchUp(PeerStreams<Entry>.Link l) {
    push(l, true, true, Integer.MAX_VALUE);
  }

  /** Test hook: the visible value of a key (register value or list), null if absent. */
  JsonNode visible(JsonNode k) {
    return read(k, Map.of());
  }
}
