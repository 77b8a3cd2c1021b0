package glomers.workloads.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.txn.TxnGenerator;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.SimNetwork;
import glomers.node.WorkloadHandler;
import glomers.node.storage.Storage;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A deterministic simulated txn cluster: nodes on one {@link SimEventLoop} ({@link SimNetwork}), a
 * linearizable lin-kv service, a partition switch, and closed-loop clients that record a Jepsen history for the real checkers.
 */
final class TxnSim {
  final SimEventLoop loop = new SimEventLoop();
  final Map<String, NodeRuntime> nodes;
  final Map<Long, JsonNode> replies = new HashMap<>();
  final Map<JsonNode, JsonNode> linKv = new HashMap<>();
  /** Nodes cut off from every other node (services stay reachable, as in Maelstrom). */
  final Set<String> isolated = new HashSet<>();
  long serverMsgs;
  /** lin-kv reads per key prefix (e.g. "txn-chunk-"), to prove which paths ran. */
  final Map<String, Integer> kvReads = new HashMap<>();
  long latencyMs = 1;
  private long nextMsgId = 1;
  final List<Op> ops = new ArrayList<>();
  private final SimNetwork net;
  private final Supplier<WorkloadHandler> handler;

  TxnSim(int n, Supplier<WorkloadHandler> handler, Map<String, String> settings) {
    this(n, handler, settings, UnaryOperator.identity());
  }

  /** As above, every node on {@code disk} wrapped around its memory storage (a mutant's faulty disk). */
  TxnSim(int n, Supplier<WorkloadHandler> handler, Map<String, String> settings, UnaryOperator<Storage> disk) {
    this.handler = handler;
    net = new SimNetwork(loop, n, handler, id -> new SplittableRandom(id.hashCode()), settings, this::route);
    nodes = net.runtimes();
    if (disk != UnaryOperator.<Storage>identity()) {
      // the nodes were built before the wrap could apply: start each again, still empty, on the wrapped disk
      net.disk = disk;
      for (String id : net.ids) net.restart(id, handler.get(), new SplittableRandom(id.hashCode()));
    }
    net.init(id -> "c0", () -> nextMsgId++);
  }

  private void route(String src, String dest, ObjectNode body, String line) {
    if (dest.startsWith("c")) {
      replies.put(body.path("in_reply_to").asLong(), body);
      return;
    }
    serverMsgs++;
    if (dest.equals("lin-kv")) {
      ObjectNode reply = linKv(body);
      loop.schedule(2 * latencyMs, () -> net.deliver("lin-kv", src, reply));
      return;
    }
    // Isolation is decided when a message is sent (unlike SimNetwork's receive-side rules, left unused here).
    if (!src.equals(dest) && (isolated.contains(src) || isolated.contains(dest))) return;
    net.deliverLater(latencyMs, src, dest, line);
  }

  private ObjectNode linKv(ObjectNode req) {
    ObjectNode r = Json.object();
    r.put("in_reply_to", req.get("msg_id").asLong());
    JsonNode k = req.get("key");
    switch (req.get("type").asText()) {
      case "read" -> {
        kvReads.merge(k.asText().replaceAll("[0-9]+$", ""), 1, Integer::sum);
        if (!linKv.containsKey(k)) return error(r, 20);
        r.put("type", "read_ok");
        r.set("value", linKv.get(k));
      }
      case "write" -> {
        linKv.put(k, req.get("value"));
        r.put("type", "write_ok");
      }
      case "cas" -> {
        if (!linKv.containsKey(k)) {
          if (!req.path("create_if_not_exists").asBoolean(false)) return error(r, 20);
        } else if (!linKv.get(k).equals(req.get("from"))) {
          return error(r, 22);
        }
        linKv.put(k, req.get("to"));
        r.put("type", "cas_ok");
      }
      default -> throw new AssertionError(req);
    }
    return r;
  }

  private static ObjectNode error(ObjectNode r, int code) {
    r.put("type", "error");
    r.put("code", code);
    return r;
  }

  /**
   * Runs closed-loop clients (client i bound to node i mod n) for {@code millis} of virtual time, flipping
   * a partition (alternately isolating n0) every {@code partitionEveryMs} if positive.
   */
  void runClients(int clients, long millis, TxnGenerator gen, SplittableRandom r, long partitionEveryMs) {
    List<String> ids = new ArrayList<>(nodes.keySet());
    long[] pending = new long[clients];
    Op[] invocations = new Op[clients];
    long start = loop.nowMillis();
    while (loop.nowMillis() - start < millis) {
      long t = loop.nowMillis() - start;
      if (partitionEveryMs > 0) {
        boolean cut = (t / partitionEveryMs) % 2 == 1;
        if (cut) isolated.add(ids.get(0));
        else isolated.clear();
      }
      for (int c = 0; c < clients; c++) {
        if (pending[c] != 0) continue;
        List<Object> txn = gen.nextTxn(r);
        Op inv = new Op(-1, loop.nowMillis() * 1_000_000L, OpType.INVOKE, c, "txn", txn, null, null, false, null);
        ops.add(inv);
        invocations[c] = inv;
        ObjectNode body = Json.object();
        body.put("type", "txn");
        body.set("txn", Json.MAPPER.valueToTree(txn));
        long id = nextMsgId++;
        body.put("msg_id", id);
        pending[c] = id;
        net.deliver("c" + (c + 10), ids.get(c % ids.size()), body);
      }
      loop.runFor(1);
      for (int c = 0; c < clients; c++) {
        JsonNode rep = pending[c] == 0 ? null : replies.remove(pending[c]);
        if (rep == null) continue;
        pending[c] = 0;
        OpType type = rep.get("type").asText().equals("txn_ok") ? OpType.OK : OpType.FAIL;
        Object value = type == OpType.OK ? Json.toPlain(rep.get("txn")) : invocations[c].value();
        ops.add(new Op(-1, loop.nowMillis() * 1_000_000L + 1, type, c, "txn", value, null, null, false, null));
      }
    }
    isolated.clear();
    // Let in-flight requests finish; anything still open becomes :info.
    for (int i = 0; i < 200; i++) {
      loop.runFor(1);
      for (int c = 0; c < clients; c++) {
        JsonNode rep = pending[c] == 0 ? null : replies.remove(pending[c]);
        if (rep == null) continue;
        pending[c] = 0;
        ops.add(new Op(-1, loop.nowMillis() * 1_000_000L + 1, OpType.OK, c, "txn", Json.toPlain(rep.get("txn")), null, null, false, null));
      }
    }
    for (int c = 0; c < clients; c++) {
      if (pending[c] != 0) ops.add(new Op(-1, loop.nowMillis() * 1_000_000L + 2, OpType.INFO, c, "txn", invocations[c].value(), null, null, false, null));
    }
  }

  /** The node crashed: a new process takes its place on what its storage had synced, and gets init again. */
  void restart(String id) {
    net.restart(id, handler.get(), new SplittableRandom(id.hashCode()));
    net.init(id, "c0", nextMsgId++);
  }

  History history() {
    return new History(ops);
  }

  /** Sends one txn to a node and waits for the reply. */
  JsonNode call(String node, List<Object> txn) {
    ObjectNode body = Json.object();
    body.put("type", "txn");
    body.set("txn", Json.MAPPER.valueToTree(txn));
    long id = nextMsgId++;
    body.put("msg_id", id);
    net.deliver("c1", node, body);
    for (int i = 0; i < 5000 && !replies.containsKey(id); i++) loop.runFor(1);
    return replies.remove(id);
  }
}
