package glomers.workloads.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import glomers.node.storage.MemoryStorage;
import glomers.node.storage.Storage;

/**
 * A deterministic in-process Maelstrom network for node tests: several {@link NodeRuntime}s on one shared
 * {@link SimEventLoop}, node↔node messages delayed by a constant latency and dropped at delivery time when
 * a partition rule says the destination refuses the source (docs/maelstrom.md#partitions), client messages
 * instant. Nodes can crash (keeping what their {@link MemoryStorage} synced) and restart on that disk.
 */
final class SimCluster {
  final SimEventLoop loop = new SimEventLoop();
  final Map<String, NodeRuntime> nodes = new LinkedHashMap<>();
  final Map<String, WorkloadHandler> handlers = new LinkedHashMap<>();
  final List<String> ids = new ArrayList<>();
  final long latency;
  /** Extra per-message delay, uniform in [0, jitter] ms (reorders messages; 0 = constant latency). */
  long jitter;
  /** Probability that a node-to-node message is delivered twice (each copy with its own jitter). */
  double duplicate;
  private final SplittableRandom jitterRandom = new SplittableRandom(99);
  /** dest → sources it drops. */
  final Map<String, Set<String>> grudge = new HashMap<>();
  /** Replies to clients, by client id then msg_id. */
  final Map<String, Map<Long, JsonNode>> replies = new HashMap<>();
  long serverMsgs;
  long droppedMsgs;
  long pureAcks;
  long missReports;
  long slotted;
  private long clientMsgId = 1;
  /** Every node-to-node message, when it was sent. */
  final List<Sent> sent = new ArrayList<>();
  /** Crashes a node the moment it writes a {@code broadcast_ok} for which this says yes. */
  Predicate<String> crashOnAck = id -> false;
  /** Wraps each node's storage (a mutant's lying disk). */
  UnaryOperator<Storage> disk = UnaryOperator.identity();
  final Set<String> down = new HashSet<>();
  private final Map<String, MemoryStorage> storages = new HashMap<>();
  private final Map<String, MemoryStorage.Disk> disks = new HashMap<>();
  private final Supplier<WorkloadHandler> handler;
  private final Map<String, String> settings;
  private final SplittableRandom root;
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

  record Sent(long at, String from, String dest, JsonNode body) {}

  SimCluster(int n, long latency, Supplier<WorkloadHandler> handler, Map<String, String> settings, long seed) {
    this.latency = latency;
    this.handler = handler;
    this.settings = settings;
    for (int i = 0; i < n; i++) ids.add("n" + i);
    root = new SplittableRandom(seed);
    for (String id : ids) start(id, MemoryStorage.Disk.empty());
    for (String id : ids) init(id);
    loop.runFor(0);
  }

  private void start(String id, MemoryStorage.Disk from) {
    NodeRuntime[] self = new NodeRuntime[1];
    // a crashed node's timers still fire on the shared loop; what it writes goes nowhere
    NodeRuntime rt = new NodeRuntime(loop, line -> {
      if (nodes.get(id) == self[0] && !down.contains(id)) route(id, line);
    }, root.split(), settings, quiet);
    self[0] = rt;
    MemoryStorage memory = new MemoryStorage(loop, from);
    storages.put(id, memory);
    Storage wrapped = disk.apply(memory);
    rt.storage(x -> wrapped);
    WorkloadHandler h = handler.get();
    handlers.put(id, h);
    rt.install(h);
    nodes.put(id, rt);
  }

  private void init(String id) {
    client("c-init", id, "{\"type\":\"init\",\"node_id\":\"" + id + "\",\"node_ids\":" + Json.write(ids) + "}");
  }

  /** The node dies now: it keeps only what its storage had synced. */
  void crash(String id) {
    down.add(id);
    disks.put(id, storages.get(id).crash());
  }

  /** A new process for a crashed node, on its surviving disk, initialised with the same ids. */
  void restart(String id) {
    down.remove(id);
    start(id, disks.get(id));
    init(id);
  }

  private void route(String from, String line) {
    JsonNode env;
    try {
      env = Json.parseTree(line);
    } catch (Exception e) {
      throw new AssertionError("node " + from + " wrote malformed JSON: " + line, e);
    }
    String dest = env.get("dest").asText();
    if (dest.startsWith("c")) {
      JsonNode body = env.get("body");
      replies.computeIfAbsent(dest, k -> new HashMap<>()).put(body.path("in_reply_to").asLong(), body);
      if ("broadcast_ok".equals(body.path("type").asText()) && crashOnAck.test(from)) crash(from);
      return;
    }
    if (!nodes.containsKey(dest)) throw new AssertionError("message to unknown node: " + line);
    serverMsgs++;
    sent.add(new Sent(loop.nowMillis(), from, dest, env.get("body")));
    JsonNode v = env.get("body").get("v");
    if (v != null && v.size() == 0) pureAcks++;
    if (env.get("body").has("m")) missReports++;
    if (env.get("body").has("y")) slotted++;
    int copies = duplicate > 0 && jitterRandom.nextDouble() < duplicate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      long delay = latency + (jitter > 0 ? jitterRandom.nextLong(jitter + 1) : 0);
      loop.schedule(delay, () -> {
        if (grudge.getOrDefault(dest, Set.of()).contains(from) || down.contains(dest)) {
          droppedMsgs++;
          return;
        }
        nodes.get(dest).deliver(line);
      });
    }
  }

  /** Sends a client request (msg_id added) to a node; returns the msg_id. */
  long client(String clientId, String node, String bodyJson) {
    long id = clientMsgId++;
    if (down.contains(node)) return id; // no process: the request times out
    String body = bodyJson.substring(0, bodyJson.length() - 1) + ",\"msg_id\":" + id + "}";
    nodes.get(node).deliver("{\"src\":\"" + clientId + "\",\"dest\":\"" + node + "\",\"body\":" + body + "}");
    return id;
  }

  JsonNode reply(String clientId, long msgId) {
    return replies.getOrDefault(clientId, Map.of()).get(msgId);
  }

  /** Broadcasts a value through a node and returns the reply once the loop ran the request. */
  JsonNode broadcast(String node, long value) {
    long id = client("c1", node, "{\"type\":\"broadcast\",\"message\":" + value + "}");
    loop.runFor(0);
    return reply("c1", id);
  }

  /** Reads a node's values (runs the loop for 0 ms). */
  Set<Long> read(String node) {
    long id = client("c2", node, "{\"type\":\"read\"}");
    loop.runFor(0);
    JsonNode r = reply("c2", id);
    if (r == null || !"read_ok".equals(r.path("type").asText())) throw new AssertionError("bad read reply " + r);
    Set<Long> s = new HashSet<>();
    for (JsonNode v : r.get("messages")) s.add(v.asLong());
    return s;
  }

  /** Reads a node's values as the JSON list Maelstrom records (read_ok's messages). */
  List<Object> readList(String node) {
    long id = client("c2", node, "{\"type\":\"read\"}");
    loop.runFor(0);
    List<Object> l = new ArrayList<>();
    for (JsonNode v : reply("c2", id).get("messages")) l.add(v.asLong());
    return l;
  }

  /** Full split: every node in {@code side} drops everything from the others and vice versa. */
  void partition(Set<String> side) {
    grudge.clear();
    for (String a : ids) {
      for (String b : ids) {
        if (side.contains(a) != side.contains(b)) grudge.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      }
    }
  }

  void heal() {
    grudge.clear();
  }
}
