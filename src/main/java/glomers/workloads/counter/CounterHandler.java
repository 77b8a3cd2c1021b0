package glomers.workloads.counter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.KvClient;
import glomers.node.KvClient.CasResult;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.ErrorCode;
import glomers.protocol.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Challenge 4 (grow-only counter) and the pn-counter workload, built on Maelstrom's sequentially
 * consistent {@code seq-kv} service.
 *
 * <h2>Data layout: one register per node, written only by its owner</h2>
 * Node {@code nX} owns the seq-kv key {@code "counter-nX"} and is its only writer. The value is the pair
 * {@code [version, total]}: {@code total} is the sum of every delta this node has made durable, and
 * {@code version} numbers this node's write attempts (1, 2, 3 …). The counter's value is the sum of all
 * nodes' totals. This is a G-counter (one entry per replica) whose replicas live in seq-kv; because each
 * entry has exactly one writer and seq-kv totally orders mutations, an entry may also go <em>down</em>,
 * so the same layout is a PN-counter without separate P and N vectors — nothing ever merges two
 * concurrent versions of one entry. There is no write contention: nodes never CAS each other's keys, so
 * an add never loses a race and never retries because of another node.
 *
 * <h2>Adds: group commit with compare-and-set</h2>
 * An {@code add} is applied to the local {@code target} total and acknowledged only once a
 * {@code cas(counter-nX, from=<last value known in seq-kv>, to=[version+1, target])} that includes it
 * has succeeded — so an {@code add_ok} means "durable in seq-kv", and a final read on any node sees it.
 * At most one CAS is in flight; adds arriving meanwhile are batched into the next one, so seq-kv traffic
 * is at most one CAS per add and far less under load (traffic follows work: an idle node sends nothing).
 *
 * <p>Why CAS rather than a blind write, although we are the only writer: seq-kv may be reached with
 * random latency (reordering), and a request whose reply timed out may still be applied later. A late
 * blind write could overwrite a newer total. A CAS whose {@code from} carries a version can only apply
 * to the exact value it was computed from, so a late or reordered attempt fails harmlessly (no ABA:
 * versions never repeat). Against our own key a CAS is never spuriously failed by seq-kv's staleness:
 * seq-kv never serves this node a state older than the last state it created, and only this node
 * changes its key, so every state it can be served holds our last written value. After an ambiguous
 * outcome (timeout, or a 22 caused by a late attempt landing first) the node forgets what it believes is
 * stored, reads its own key again (a read also cannot be older than our own last mutation), acknowledges
 * every add that the observed version already covers, and CASes from what it saw.
 *
 * <h2>Reads: fresh enough, by forcing the seq-kv session forward</h2>
 * seq-kv serves each caller some state no older than the newest state that caller has observed or
 * created — so a plain read of another node's key may be arbitrarily stale (even "key does not exist",
 * docs/maelstrom.md#consistency-of-the-services). A <em>real mutation</em>, however, is applied to the newest
 * state and moves the caller's position to it. So a read first writes a fresh value to this node's scratch key
 * {@code "sync-nX"}: this process's random epoch and an ever-increasing count, since a value written before
 * (a count alone restarts at 1 after a crash) would leave the state unchanged and the session where it was.
 * Every read issued after that write returns a state at least as
 * new as the one the write created, which contains every CAS acknowledged before the write was applied
 * — in particular every add acknowledged (anywhere) before this read request arrived. The read then
 * fetches the other nodes' keys (error 20 = that node never added anything) and adds this node's own
 * durable total, which it knows without asking. Cost: 2 + 2(n−1) messages per read, 2 per CAS.
 * Concurrent reads on one node share a round: reads that arrive while a round is in flight wait for
 * the next round (joining the running one could miss an add acknowledged after its sync write).
 *
 * <p>Partitions only cut node↔node links; services are never partitioned, and this design sends no
 * node↔node messages at all, so partitions cannot affect it. Final reads (after the 10 s quiet period)
 * see every acknowledged add, plus any indeterminate ones that have landed, which the checker accepts.
 *
 * <h2>Crashes</h2>
 * A node keeps nothing of its own: its total lives in seq-kv. A restarted process therefore first reads
 * its own key, takes the total and version found there as its base, and only then acknowledges adds (each
 * covered by a version after that base) or answers reads with its own total. An add is acknowledged only
 * once a CAS carrying it succeeded, and the CAS's versioned {@code from} makes a retried or late attempt
 * apply at most once, so across restarts no acknowledged add is lost or counted twice. The last CAS of
 * an earlier life may still land after the new life read its key, with a version the new life is about
 * to use: a version is trusted only with the total this life attempted for it, and any other value
 * becomes the base again, as at start.
 *
 * <h2>Never answer late</h2>
 * g-counter/pn-counter clients are replaced after a timeout, and Maelstrom v0.2.3 silences a node that
 * replies to a closed client (docs/maelstrom.md#timeouts-and-client-reuse). So a request that could not be
 * answered within {@link #REPLY_DEADLINE_MS} of its arrival is never answered (the client records {@code :info},
 * which the checker tolerates: the add may still become durable later).
 */
public final class CounterHandler implements WorkloadHandler {
  /** Stay well inside the client's 5 s RPC timeout (client links have no latency). */
  static final long REPLY_DEADLINE_MS = 4_000;
  /** Pause before retrying after a seq-kv error or timeout, so a struggling service is not hammered. */
  static final long RETRY_DELAY_MS = 50;

  private final boolean allowDecrements;

  private Node node;
  private KvClient kv;
  private String key;
  private String syncKey;

  /** Sum of every delta accepted by this node (durable or not). */
  private long target;
  /** Version of the latest CAS attempt sent. */
  private long version;
  /**
   * What we believe our key holds in seq-kv, or null when unsure: after an ambiguous outcome, and at
   * start, since this process may be a restart of a node whose key already holds a total.
   */
  private long[] stored;
  /** Whether our key has been read since this process started; until then target and version are relative. */
  private boolean recovered;
  /** Total of the newest version known to be durable; what reads report for this node. */
  private long durableTotal;
  private long durableVersion;
  private boolean flushing;
  private final Deque<PendingAdd> unacked = new ArrayDeque<>();
  /**
   * This life's write attempts not yet known to be superseded: version → total. A value seen in our key
   * that is not among them was written by an earlier life (its last compare-and-set landing late).
   */
  private final Map<Long, Long> attempted = new HashMap<>();

  /** Drawn once per process, so that no life of this node writes a scratch value an earlier life wrote. */
  private long epoch;
  private long nonce;
  private boolean syncing;
  private List<Pending> readQueue = new ArrayList<>();

  private record Pending(Message msg, long arrivedAt) {}

  /** An add waiting for the first write attempt that includes it ({@code version ≥ coveredBy}). */
  private record PendingAdd(Pending req, long coveredBy) {}

  private CounterHandler(boolean allowDecrements) {
    this.allowDecrements = allowDecrements;
  }

  /** Challenge 4: a grow-only counter (negative deltas are rejected as malformed). */
  public static CounterHandler growOnly() {
    return new CounterHandler(false);
  }

  /** The pn-counter workload: deltas of any sign. */
  public static CounterHandler pn() {
    return new CounterHandler(true);
  }

  @Override
  public void install(Node node) {
    this.node = node;
    this.kv = node.kv("seq-kv");
    node.onInit(
        () -> {
          key = "counter-" + node.id();
          syncKey = "sync-" + node.id();
          epoch = node.random().nextLong();
        });
    node.on("add", this::onAdd);
    node.on("read", this::onRead);
  }

  // ------------------------------------------------------------------ adds

  private void onAdd(Message msg) {
    JsonNode d = msg.body().get("delta");
    if (d == null || !d.isIntegralNumber() || !d.canConvertToLong()) {
      throw RpcException.malformed("add needs an integer 'delta'");
    }
    long delta = d.longValue();
    if (delta < 0 && !allowDecrements) throw RpcException.malformed("a grow-only counter cannot add " + delta);
    target += delta;
    unacked.add(new PendingAdd(new Pending(msg, node.nowMillis()), version + 1));
    flush();
  }

  /** Makes {@code target} durable: at most one seq-kv request of this pipeline in flight. */
  private void flush() {
    if (flushing) return;
    if (stored == null) {
      flushing = true;
      kv.read(key).whenComplete(this::onOwnKeyRead);
      return;
    }
    if (unacked.isEmpty() && stored[1] == target) return;
    flushing = true;
    long v = ++version;
    long total = target;
    attempted.put(v, total);
    kv.cas(key, List.of(stored[0], stored[1]), List.of(v, total), true)
        .whenComplete((res, err) -> onCasDone(v, total, res, err));
  }

  private void onCasDone(long v, long total, CasResult res, Throwable err) {
    flushing = false;
    if (err == null && res == CasResult.OK) {
      // Our value is in place: an earlier life's late write, whose from is older, can no longer land.
      attempted.clear();
      stored = new long[] {v, total};
      durable(v, total);
      flush();
      return;
    }
    // Error 22: an earlier, timed-out attempt landed after all; anything else is ambiguous. Either way,
    // re-learn what our key holds before the next attempt.
    stored = null;
    if (err != null) {
      node.log("cas on %s failed (%s); re-reading", key, err);
      node.after(RETRY_DELAY_MS, this::flush);
    } else {
      flush();
    }
  }

  private void onOwnKeyRead(Optional<JsonNode> value, Throwable err) {
    flushing = false;
    if (err != null) {
      node.log("read of own key %s failed (%s); retrying", key, err);
      node.after(RETRY_DELAY_MS, this::flush);
      return;
    }
    long[] seen = value.map(CounterHandler::parse).orElse(new long[] {0, 0});
    stored = seen;
    if (!recovered) {
      recovered = true;
      rebase(seen);
      if (!readQueue.isEmpty() && !syncing) startRound();
    } else if (seen[0] > durableVersion && !Long.valueOf(seen[1]).equals(attempted.get(seen[0]))) {
      rebase(seen); // an earlier life's write that landed late: it never held this life's adds
    }
    durable(seen[0], seen[1]);
    flush();
  }

  /**
   * A value in our key that this life did not write becomes its base: at the first read of our key in
   * this process, and when an earlier life's last compare-and-set lands after that read. This life's adds
   * not yet durable go on top of it and are covered only by a version after it, so none of them is
   * acknowledged by (or lost under) a total that does not hold it, and none is applied twice.
   */
  private void rebase(long[] seen) {
    target += seen[1] - durableTotal;
    durableVersion = seen[0];
    durableTotal = seen[1];
    attempted.clear();
    version = Math.max(version, seen[0]);
    Deque<PendingAdd> rebased = new ArrayDeque<>();
    for (PendingAdd a : unacked) rebased.add(new PendingAdd(a.req(), version + 1));
    unacked.clear();
    unacked.addAll(rebased);
  }

  /** Version {@code v} holding {@code total} is in seq-kv: acknowledge every add it covers. */
  private void durable(long v, long total) {
    if (v > durableVersion) {
      durableVersion = v;
      durableTotal = total;
    }
    while (!unacked.isEmpty() && unacked.peek().coveredBy() <= v) {
      Pending p = unacked.poll().req();
      replyInTime(p, node.body("add_ok"));
    }
  }

  // ------------------------------------------------------------------ reads

  private void onRead(Message msg) {
    readQueue.add(new Pending(msg, node.nowMillis()));
    if (!recovered) {
      flush(); // our own total is not known before our key has been read
      return;
    }
    if (!syncing) startRound();
  }

  private void startRound() {
    if (readQueue.isEmpty()) return;
    syncing = true;
    List<Pending> batch = readQueue;
    readQueue = new ArrayList<>();
    kv.write(syncKey, List.of(epoch, ++nonce))
        .thenCompose(ignored -> sumOthers())
        .whenComplete(
            (sum, err) -> {
              syncing = false;
              if (err != null) {
                node.log("read round failed (%s); retrying", err);
                // Retry the same reads in a fresh round (new nonce) unless they are too old to answer.
                batch.addAll(readQueue);
                readQueue = batch;
                syncing = true;
                node.after(
                    RETRY_DELAY_MS,
                    () -> {
                      syncing = false;
                      startRound();
                    });
                return;
              }
              long value = sum + durableTotal;
              for (Pending p : batch) {
                ObjectNode b = node.body("read_ok");
                b.put("value", value);
                replyInTime(p, b);
              }
              startRound();
            });
  }

  private CompletableFuture<Long> sumOthers() {
    CompletableFuture<Long> acc = CompletableFuture.completedFuture(0L);
    List<CompletableFuture<Long>> parts = new ArrayList<>();
    for (String other : node.otherNodeIds()) {
      parts.add(kv.read("counter-" + other).thenApply(v -> v.map(j -> parse(j)[1]).orElse(0L)));
    }
    for (CompletableFuture<Long> p : parts) acc = acc.thenCombine(p, Long::sum);
    return acc;
  }

  // ------------------------------------------------------------------ helpers

  private void replyInTime(Pending p, ObjectNode body) {
    if (node.nowMillis() - p.arrivedAt() > REPLY_DEADLINE_MS) {
      node.log("not answering %s from %s: %d ms old, its client has given up", p.msg().type(), p.msg().src(),
          node.nowMillis() - p.arrivedAt());
      return;
    }
    node.reply(p.msg(), body);
  }

  /** A stored {@code [version, total]} pair. */
  static long[] parse(JsonNode v) {
    if (v != null && v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber() && v.get(1).isIntegralNumber()) {
      return new long[] {v.get(0).longValue(), v.get(1).longValue()};
    }
    throw new RpcException(ErrorCode.CRASH, "unexpected counter value in seq-kv: " + v);
  }
}
