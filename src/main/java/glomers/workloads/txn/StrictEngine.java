package glomers.workloads.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.KvClient;
import glomers.node.Node;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strict-serializable engine ({@code mode=strict}): Maelstrom's linearizable {@code lin-kv} service is
 * the single commit point.
 *
 * <p><b>Log.</b> The database is a log of <em>blocks</em>; block n holds the effects (writes or appends, in
 * order) of a batch of transactions. One lin-kv key, {@code txn-head}, holds the log length and the last
 * {@code window} (W, default 16) to 2W−1 blocks inline; whenever the window would reach 2W, the committer
 * first archives its oldest W blocks as one chunk ({@code txn-chunk-<i>}, blocks iW+1…(i+1)W) and evicts
 * them with the same CAS, so archiving costs one write per W commits and nodes that fall far behind
 * still find every block. Every node keeps a materialised copy of the database at the log index it has
 * applied.
 *
 * <p><b>Commit.</b> A node gathers the transactions that arrived while its previous round was in flight
 * into one batch (group commit: one lin-kv round trip for many transactions), reads the head, applies any
 * blocks it is missing, executes the batch sequentially against that state, and compare-and-sets the head
 * from exactly what it read to the head extended by its new block. Success makes the batch the next block:
 * every transaction of the batch executed against the state right after the previous block, and the CAS
 * happened after every one of them was invoked and before any is answered, so the log order is a legal
 * strict-serial order (batch members are concurrent with each other, so their order inside the block is
 * free). A failed CAS means another node committed first: catch up and re-execute. Read-only batches need no
 * CAS — the head read is their linearisation point.
 *
 * <p><b>Indeterminate CAS.</b> Each attempt carries a unique block id. After a timeout the node just reads
 * the head again and re-executes; whenever it applies a block whose id is one of its outstanding attempts,
 * that attempt committed and its results (computed for exactly that position) are the answers. At most one
 * attempt of a batch can succeed, because all of them compare against heads the node has read, each of
 * which is superseded by the next attempt's own head read.
 *
 * <p><b>Availability.</b> Clients are never answered with an error: conflicts retry internally. Maelstrom
 * never partitions services, so nodes cut off from each other still commit through lin-kv. A real
 * deployment would need the commit point itself to be a replicated, majority-quorum log (Raft/Paxos): it
 * would remain available only on the majority side of a partition, which is the price of strict
 * serializability (CAP).
 */
final class StrictEngine implements TxnHandler.Engine {
  private record Pending(Message request, ArrayNode txn) {}

  private record Attempt(String id, long target, List<Pending> batch, List<ArrayNode> results) {}

  static final String HEAD = "txn-head";

  private final TxnHandler.Model model;
  private Node node;
  private KvClient kv;
  private int window;
  private int maxBatch;

  private final Map<JsonNode, JsonNode> registers = new HashMap<>();
  private final Map<JsonNode, ArrayNode> lists = new HashMap<>();
  private long applied;

  private final List<Pending> queue = new ArrayList<>();
  private boolean busy;
  private long attemptSeq;
  private final Map<String, Attempt> outstanding = new HashMap<>();
  private Attempt committed;

  StrictEngine(TxnHandler.Model model) {
    this.model = model;
  }

  @Override
  public void install(Node node) {
    this.node = node;
    this.kv = node.kv("lin-kv");
    this.window = Integer.parseInt(node.settings().getOrDefault("window", "16"));
    this.maxBatch = Integer.parseInt(node.settings().getOrDefault("max-batch", "64"));
  }

  @Override
  public void execute(Message request, ArrayNode txn) {
    queue.add(new Pending(request, txn));
    if (!busy) round();
  }

  private void round() {
    if (queue.isEmpty()) {
      busy = false;
      return;
    }
    busy = true;
    List<Pending> batch = new ArrayList<>(queue.subList(0, Math.min(maxBatch, queue.size())));
    queue.subList(0, batch.size()).clear();
    outstanding.clear();
    committed = null;
    readHead(batch);
  }

  private void readHead(List<Pending> batch) {
    kv.read(HEAD).whenComplete((head, err) -> {
      if (err != null) {
        node.after(5, () -> readHead(batch));
        return;
      }
      catchUp(head.orElse(null), () -> decide(batch, head.orElse(null)));
    });
  }

  private static long length(JsonNode head) {
    return head == null ? 0 : head.get("n").asLong();
  }

  /** Applies every block up to the head's length (from the inline window, else from the archived chunks). */
  private void catchUp(JsonNode head, Runnable then) {
    long n = length(head);
    Map<Long, JsonNode> inline = new HashMap<>();
    if (head != null) for (JsonNode b : head.get("blocks")) inline.put(b.get("n").asLong(), b);
    while (applied < n) {
      JsonNode b = inline.get(applied + 1);
      if (b == null) {
        long want = applied + 1;
        kv.read(chunkKey(want)).whenComplete((chunk, err) -> {
          boolean got = err == null && chunk.isPresent();
          if (got) {
            for (JsonNode blk : chunk.get()) if (blk.get("n").asLong() == applied + 1) applyBlock(blk);
          }
          // A chunk is written before the CAS that evicts it, so "missing" can only be a slow write: retry.
          node.after(got ? 0 : 5, () -> catchUp(head, then));
        });
        return;
      }
      applyBlock(b);
    }
    then.run();
  }

  /** Blocks 1..W live in chunk 0, W+1..2W in chunk 1, and so on. */
  private String chunkKey(long block) {
    return "txn-chunk-" + (block - 1) / window;
  }

  private void applyBlock(JsonNode b) {
    for (JsonNode w : b.get("w")) {
      JsonNode k = w.get(1);
      if (model == TxnHandler.Model.REGISTER) {
        registers.put(k, w.get(2));
      } else {
        lists.computeIfAbsent(k, x -> JsonLine.array()).add(w.get(2));
      }
    }
    applied = b.get("n").asLong();
    Attempt a = outstanding.get(b.get("id").asText());
    if (a != null) committed = a;
  }

  private void decide(List<Pending> batch, JsonNode head) {
    if (committed != null) {
      finish(committed.batch(), committed.results());
      return;
    }
    List<ArrayNode> results = new ArrayList<>();
    ArrayNode effects = JsonLine.array();
    Map<JsonNode, JsonNode> regOverlay = new HashMap<>();
    Map<JsonNode, ArrayNode> listOverlay = new HashMap<>();
    for (Pending p : batch) results.add(run(p.txn(), regOverlay, listOverlay, effects));
    if (effects.isEmpty()) {
      finish(batch, results);
      return;
    }
    long target = length(head) + 1;
    String id = node.id() + "-" + (++attemptSeq);
    ObjectNode block = JsonLine.object();
    block.put("n", target);
    block.put("id", id);
    block.set("w", effects);
    ObjectNode next = JsonLine.object();
    next.put("n", target);
    ArrayNode blocks = next.putArray("blocks");
    ArrayNode evicted = JsonLine.array();
    if (head != null) {
      JsonNode old = head.get("blocks");
      // The window holds W..2W-1 blocks; when it would reach 2W, the oldest full chunk of W moves out.
      int drop = old.size() + 1 >= 2 * window ? window : 0;
      for (int i = 0; i < old.size(); i++) (i < drop ? evicted : blocks).add(old.get(i));
    }
    blocks.add(block);
    Attempt attempt = new Attempt(id, target, batch, results);
    outstanding.put(id, attempt);
    if (evicted.isEmpty()) {
      cas(batch, results, head, next, block, target);
      return;
    }
    // Archive before evicting: a chunk's content is fixed by the log, so racing writers write the same value.
    kv.write(chunkKey(evicted.get(0).get("n").asLong()), evicted).whenComplete((ok, err) -> {
      if (err != null) readHead(batch);
      else cas(batch, results, head, next, block, target);
    });
  }

  private void cas(List<Pending> batch, List<ArrayNode> results, JsonNode head, ObjectNode next, ObjectNode block, long target) {
    kv.cas(HEAD, head, next, head == null).whenComplete((res, err) -> {
      if (err == null && res == KvClient.CasResult.OK) {
        if (applied == target - 1) applyBlock(block);
        finish(batch, results);
      } else {
        // Lost the race (or an indeterminate outcome): catch up and try again; block ids settle timeouts.
        readHead(batch);
      }
    });
  }

  private ArrayNode run(ArrayNode txn, Map<JsonNode, JsonNode> regOverlay, Map<JsonNode, ArrayNode> listOverlay, ArrayNode effects) {
    ArrayNode out = JsonLine.array();
    for (JsonNode mop : txn) {
      String f = mop.get(0).asText();
      JsonNode k = mop.get(1);
      if (model == TxnHandler.Model.REGISTER) {
        if (f.equals("r")) {
          JsonNode v = regOverlay.containsKey(k) ? regOverlay.get(k) : registers.get(k);
          out.add(TxnHandler.mop("r", k, v));
        } else {
          regOverlay.put(k, mop.get(2));
          effects.add(TxnHandler.mop(f, k, mop.get(2)));
          out.add(mop);
        }
      } else {
        ArrayNode cur = listOverlay.get(k);
        if (cur == null && lists.containsKey(k)) cur = lists.get(k);
        if (f.equals("r")) {
          out.add(TxnHandler.mop("r", k, cur == null ? null : cur.deepCopy()));
        } else {
          ArrayNode copy = cur == null ? JsonLine.array() : cur.deepCopy();
          copy.add(mop.get(2));
          listOverlay.put(k, copy);
          effects.add(TxnHandler.mop(f, k, mop.get(2)));
          out.add(mop);
        }
      }
    }
    return out;
  }

  private void finish(List<Pending> batch, List<ArrayNode> results) {
    for (int i = 0; i < batch.size(); i++) node.reply(batch.get(i).request(), TxnHandler.ok(node, results.get(i)));
    outstanding.clear();
    committed = null;
    round();
  }

  /** Test hook: applied log length. */
  long applied() {
    return applied;
  }

  Optional<JsonNode> visible(JsonNode k) {
    return Optional.ofNullable(model == TxnHandler.Model.REGISTER ? registers.get(k) : lists.get(k));
  }
}
