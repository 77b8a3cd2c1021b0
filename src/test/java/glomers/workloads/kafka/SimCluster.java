package glomers.workloads.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * A deterministic in-process cluster: several {@link NodeRuntime}s on one {@link SimEventLoop}, with
 * lines routed between them after a fixed latency, a partition switch, and message counters.
 */
final class SimCluster {
  final SimEventLoop loop = new SimEventLoop();
  final Map<String, NodeRuntime> nodes = new LinkedHashMap<>();
  final Map<Long, JsonNode> replies = new HashMap<>();
  final Map<String, String> settings;
  final Set<String> isolated = new HashSet<>();
  /** One-way cuts "src>dest". */
  final Set<String> cutLinks = new HashSet<>();
  long serverMsgs;
  long droppedMsgs;
  long latencyMs = 1;
  private long nextMsgId = 1;

  SimCluster(int n, Supplier<WorkloadHandler> handler, Map<String, String> settings) {
    this.settings = settings;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add("n" + i);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (String id : ids) {
      NodeRuntime rt = new NodeRuntime(loop, this::route, new SplittableRandom(id.hashCode()), settings, quiet);
      rt.install(handler.get());
      nodes.put(id, rt);
    }
    for (String id : ids) {
      ObjectNode body = Json.object();
      body.put("type", "init");
      body.put("msg_id", nextMsgId++);
      body.put("node_id", id);
      body.set("node_ids", Json.MAPPER.valueToTree(ids));
      deliver("c0", id, body);
    }
    loop.runFor(1);
  }

  private void deliver(String src, String dest, ObjectNode body) {
    ObjectNode env = Json.object();
    env.put("src", src);
    env.put("dest", dest);
    env.set("body", body);
    nodes.get(dest).deliver(Json.write(env));
  }

  private void route(String line) {
    JsonNode env;
    try {
      env = Json.parseTree(line);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    String src = env.get("src").asText();
    String dest = env.get("dest").asText();
    if (dest.startsWith("c")) {
      replies.put(env.get("body").path("in_reply_to").asLong(), env.get("body"));
      return;
    }
    serverMsgs++;
    NodeRuntime target = nodes.get(dest);
    if (target == null) return; // services are not simulated here
    boolean cut = !src.equals(dest) && (isolated.contains(src) || isolated.contains(dest) || cutLinks.contains(src + ">" + dest));
    if (cut) {
      droppedMsgs++;
      return;
    }
    loop.schedule(latencyMs, () -> target.deliver(line));
  }

  /** Sends a client request to a node; the reply appears in {@link #replies} under the returned msg id. */
  long request(String node, ObjectNode body) {
    long id = nextMsgId++;
    body.put("msg_id", id);
    deliver("c1", node, body);
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
