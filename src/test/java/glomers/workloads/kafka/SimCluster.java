package glomers.workloads.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.SimNetwork;
import glomers.node.WorkloadHandler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A deterministic in-process cluster: several {@link NodeRuntime}s on one {@link SimEventLoop}
 * ({@link SimNetwork}), with lines routed between them after a fixed latency, a partition switch, and
 * message counters.
 */
final class SimCluster {
  final SimEventLoop loop = new SimEventLoop();
  final Map<String, NodeRuntime> nodes;
  final Map<Long, JsonNode> replies = new HashMap<>();
  final Map<String, String> settings;
  final Set<String> isolated = new HashSet<>();
  /** One-way cuts "src>dest". */
  final Set<String> cutLinks = new HashSet<>();
  long serverMsgs;
  long droppedMsgs;
  long latencyMs = 1;
  private long nextMsgId = 1;
  private final SimNetwork net;

  private final Supplier<WorkloadHandler> handler;
  private final SplittableRandom restarts = new SplittableRandom(11);
  /** Restarts a node the moment it writes a {@code send_ok} for which this says yes. */
  java.util.function.Predicate<String> crashOnAck = id -> false;
  long crashes;
  /** Probability that a node-to-node message arrives a second time, up to 20 ms later. */
  double duplicate;
  private final SplittableRandom duplicates = new SplittableRandom(5);

  SimCluster(int n, Supplier<WorkloadHandler> handler, Map<String, String> settings) {
    this.handler = handler;
    this.settings = settings;
    net = new SimNetwork(loop, n, handler, id -> new SplittableRandom(id.hashCode()), settings, this::route);
    nodes = net.runtimes();
    net.init(id -> "c0", () -> nextMsgId++);
  }

  private void route(String src, String dest, ObjectNode body, String line) {
    if (dest.startsWith("c")) {
      replies.put(body.path("in_reply_to").asLong(), body);
      if ("send_ok".equals(body.path("type").asText()) && crashOnAck.test(src)) restart(src);
      return;
    }
    serverMsgs++;
    if (!nodes.containsKey(dest)) return; // services are not simulated here
    // Cuts are decided when a message is sent (SimNetwork's receive-side rules are left unused here).
    boolean cut = !src.equals(dest) && (isolated.contains(src) || isolated.contains(dest) || cutLinks.contains(src + ">" + dest));
    if (cut) {
      droppedMsgs++;
      return;
    }
    net.deliverLater(latencyMs, src, dest, line);
    if (duplicate > 0 && duplicates.nextDouble() < duplicate) net.deliverLater(latencyMs + duplicates.nextLong(20), src, dest, line);
  }

  /** The node crashes and a new process starts on what its storage had synced, initialised again. */
  void restart(String id) {
    crashes++;
    net.restart(id, handler.get(), restarts.split());
    net.init(id, "c0", nextMsgId++);
  }

  /** Wraps every node's storage from its next restart on. */
  void disk(java.util.function.UnaryOperator<glomers.node.storage.Storage> wrap) {
    net.disk = wrap;
  }

  /** Sends a client request to a node; the reply appears in {@link #replies} under the returned msg id. */
  long request(String node, ObjectNode body) {
    long id = nextMsgId++;
    body.put("msg_id", id);
    net.deliver("c1", node, body);
    return id;
  }

  /** Sends a request and runs the loop until its reply arrives (or the time budget ends). */
  JsonNode call(String node, ObjectNode body, long budgetMs) {
    long id = request(node, body);
    for (long t = 0; t < budgetMs && !replies.containsKey(id); t++) loop.runFor(1);
    return replies.get(id);
  }

  JsonNode call(String node, ObjectNode body) {
    return call(node, body, 10_000);
  }
}
