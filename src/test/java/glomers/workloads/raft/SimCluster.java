package glomers.workloads.raft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.SimNetwork;
import glomers.node.WorkloadHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A deterministic in-process Maelstrom network for Raft tests: several {@link NodeRuntime}s on one
 * {@link SimEventLoop} ({@link SimNetwork}), lines routed between them with a fixed latency,
 * receive-side partitions exactly like Maelstrom's (checked on delivery, dropped messages are gone
 * forever), and clients that just collect their replies.
 */
public final class SimCluster {
  public final SimEventLoop loop = new SimEventLoop();
  public final List<String> ids;
  public final Map<String, NodeRuntime> runtimes;
  public final Map<String, WorkloadHandler> handlers;
  /** Replies to clients, by client id then in_reply_to. */
  public final Map<String, Map<Long, ObjectNode>> clientInbox = new HashMap<>();
  private final SimNetwork net;
  private final long latencyMs;
  public long serverMessages;
  /** Called for every reply a client receives (after it is stored in {@link #clientInbox}). */
  public java.util.function.BiConsumer<String, ObjectNode> onClientReply = (c, b) -> {};
  private long clientMsgId = 1000;

  public SimCluster(int n, long latencyMs, long seed, Map<String, String> settings, Supplier<WorkloadHandler> handler) {
    this.latencyMs = latencyMs;
    SplittableRandom seeds = new SplittableRandom(seed);
    PrintStream log = Boolean.getBoolean("sim.log") ? System.err : new PrintStream(OutputStream.nullOutputStream());
    net = new SimNetwork(loop, n, handler, id -> seeds.split(), settings, log, this::route);
    ids = net.ids;
    runtimes = net.runtimes();
    handlers = net.handlers();
    net.init(id -> "c-init", () -> 1);
  }

  private void route(String src, String dest, ObjectNode body, String line) {
    if (dest.startsWith("c")) {
      if (body.has("in_reply_to")) {
        clientInbox.computeIfAbsent(dest, k -> new HashMap<>()).put(body.get("in_reply_to").longValue(), body);
        onClientReply.accept(dest, body);
      }
      return;
    }
    serverMessages++;
    if (runtimes.containsKey(dest)) net.deliverLater(latencyMs, src, dest, line);
  }

  /** Sends a client request (client→node messages are never partitioned, as in Maelstrom); returns its msg_id. */
  public long request(String client, String node, ObjectNode body) {
    long id = ++clientMsgId;
    body.put("msg_id", id);
    net.deliver(client, node, body);
    return id;
  }

  public ObjectNode reply(String client, long msgId) {
    return clientInbox.getOrDefault(client, Map.of()).get(msgId);
  }

  /** Splits the cluster: every node of one group drops everything from the other, both ways. */
  public void partition(Set<String> side) {
    net.partition(side);
  }

  /** Cuts each given node off from every other node (both ways), on top of the current rules. */
  public void isolate(String... nodes) {
    net.isolate(nodes);
  }

  /** One-way drop: {@code dest} ignores messages from {@code src}. */
  public void drop(String dest, String src) {
    net.drop(dest, src);
  }

  public void heal() {
    net.heal();
  }

  public void run(long millis) {
    loop.runFor(millis);
  }
}
