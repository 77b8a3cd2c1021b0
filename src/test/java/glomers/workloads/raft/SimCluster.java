package glomers.workloads.raft;

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
 * A deterministic in-process Maelstrom network for Raft tests: several {@link NodeRuntime}s on one
 * {@link SimEventLoop}, lines routed between them with a fixed latency, receive-side partitions exactly
 * like Maelstrom's (checked on delivery, dropped messages are gone forever), and clients that just
 * collect their replies.
 */
public final class SimCluster {
  public final SimEventLoop loop = new SimEventLoop();
  public final List<String> ids = new ArrayList<>();
  public final Map<String, NodeRuntime> runtimes = new LinkedHashMap<>();
  public final Map<String, WorkloadHandler> handlers = new LinkedHashMap<>();
  /** Replies to clients, by client id then in_reply_to. */
  public final Map<String, Map<Long, ObjectNode>> clientInbox = new HashMap<>();
  /** dest → sources whose messages dest drops. */
  private final Map<String, Set<String>> drops = new HashMap<>();
  private final long latencyMs;
  public long serverMessages;
  /** Called for every reply a client receives (after it is stored in {@link #clientInbox}). */
  public java.util.function.BiConsumer<String, ObjectNode> onClientReply = (c, b) -> {};
  private long clientMsgId = 1000;

  public SimCluster(int n, long latencyMs, long seed, Map<String, String> settings, Supplier<WorkloadHandler> handler) {
    this.latencyMs = latencyMs;
    for (int i = 0; i < n; i++) ids.add("n" + i);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    SplittableRandom seeds = new SplittableRandom(seed);
    for (String id : ids) {
      WorkloadHandler h = handler.get();
      NodeRuntime rt = new NodeRuntime(loop, line -> route(id, line), seeds.split(), settings,
          Boolean.getBoolean("sim.log") ? System.err : quiet);
      rt.install(h);
      runtimes.put(id, rt);
      handlers.put(id, h);
    }
    for (String id : ids) {
      ObjectNode body = Json.object();
      body.put("type", "init");
      body.put("msg_id", 1);
      body.put("node_id", id);
      var arr = body.putArray("node_ids");
      ids.forEach(arr::add);
      deliverFrom("c-init", id, body);
    }
    loop.runFor(1);
  }

  private void route(String src, String line) {
    try {
      var env = (ObjectNode) Json.parseTree(line);
      String dest = env.get("dest").textValue();
      ObjectNode body = (ObjectNode) env.get("body");
      if (dest.startsWith("c")) {
        if (body.has("in_reply_to")) {
          clientInbox.computeIfAbsent(dest, k -> new HashMap<>()).put(body.get("in_reply_to").longValue(), body);
          onClientReply.accept(dest, body);
        }
        return;
      }
      serverMessages++;
      loop.schedule(latencyMs, () -> {
        if (drops.getOrDefault(dest, Set.of()).contains(src)) return;
        NodeRuntime rt = runtimes.get(dest);
        if (rt != null) rt.deliver(line);
      });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void deliverFrom(String src, String dest, ObjectNode body) {
    ObjectNode env = Json.object();
    env.put("src", src);
    env.put("dest", dest);
    env.set("body", body);
    runtimes.get(dest).deliver(Json.write(env));
  }

  /** Sends a client request (client→node messages are never partitioned, as in Maelstrom); returns its msg_id. */
  public long request(String client, String node, ObjectNode body) {
    long id = ++clientMsgId;
    body.put("msg_id", id);
    deliverFrom(client, node, body);
    return id;
  }

  public ObjectNode reply(String client, long msgId) {
    return clientInbox.getOrDefault(client, Map.of()).get(msgId);
  }

  /** Splits the cluster: every node of one group drops everything from the other, both ways. */
  public void partition(Set<String> side) {
    drops.clear();
    for (String a : ids) {
      for (String b : ids) {
        if (side.contains(a) != side.contains(b)) drops.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      }
    }
  }

  /** Cuts each given node off from every other node (both ways), on top of the current rules. */
  public void isolate(String... nodes) {
    for (String a : nodes) {
      for (String b : ids) {
        if (a.equals(b)) continue;
        drops.computeIfAbsent(a, k -> new HashSet<>()).add(b);
        drops.computeIfAbsent(b, k -> new HashSet<>()).add(a);
      }
    }
  }

  /** One-way drop: {@code dest} ignores messages from {@code src}. */
  public void drop(String dest, String src) {
    drops.computeIfAbsent(dest, k -> new HashSet<>()).add(src);
  }

  public void heal() {
    drops.clear();
  }

  public void run(long millis) {
    loop.runFor(millis);
  }
}
