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
import java.util.function.Supplier;

/**
 * A deterministic in-process Maelstrom network for node tests: several {@link NodeRuntime}s on one shared
 * {@link SimEventLoop}, node↔node messages delayed by a constant latency and dropped at delivery time when
 * a partition rule says the destination refuses the source (docs/maelstrom.md#partitions), client messages instant.
 */
final class SimCluster {
  final SimEventLoop loop = new SimEventLoop();
  final Map<String, NodeRuntime> nodes = new LinkedHashMap<>();
  final Map<String, WorkloadHandler> handlers = new LinkedHashMap<>();
  final List<String> ids = new ArrayList<>();
  final long latency;
  /** Extra per-message delay, uniform in [0, jitter] ms (reorders messages; 0 = constant latency). */
  long jitter;
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

  SimCluster(int n, long latency, Supplier<WorkloadHandler> handler, Map<String, String> settings, long seed) {
    this.latency = latency;
    for (int i = 0; i < n; i++) ids.add("n" + i);
    SplittableRandom root = new SplittableRandom(seed);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (String id : ids) {
      NodeRuntime rt = new NodeRuntime(loop, line -> route(id, line), root.split(), settings, quiet);
      WorkloadHandler h = handler.get();
      handlers.put(id, h);
      rt.install(h);
      nodes.put(id, rt);
    }
    for (String id : ids) {
      client("c-init", id, "{\"type\":\"init\",\"node_id\":\"" + id + "\",\"node_ids\":" + Json.write(ids) + "}");
    }
    loop.runFor(0);
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
      return;
    }
    NodeRuntime target = nodes.get(dest);
    if (target == null) throw new AssertionError("message to unknown node: " + line);
    serverMsgs++;
    JsonNode v = env.get("body").get("v");
    if (v != null && v.size() == 0) pureAcks++;
    if (env.get("body").has("m")) missReports++;
    if (env.get("body").has("y")) slotted++;
    long delay = latency + (jitter > 0 ? jitterRandom.nextLong(jitter + 1) : 0);
    loop.schedule(delay, () -> {
      if (grudge.getOrDefault(dest, Set.of()).contains(from)) {
        droppedMsgs++;
        return;
      }
      target.deliver(line);
    });
  }

  /** Sends a client request (msg_id added) to a node; returns the msg_id. */
  long client(String clientId, String node, String bodyJson) {
    long id = clientMsgId++;
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
