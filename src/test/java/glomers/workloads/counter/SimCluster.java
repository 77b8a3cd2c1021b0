package glomers.workloads.counter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.SimNetwork;
import glomers.node.WorkloadHandler;
import glomers.harness.service.SeqKv;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A deterministic in-process cluster for node-side tests: several {@link NodeRuntime}s on one
 * {@link SimEventLoop}, a simulated network ({@link SimNetwork}; latency constant or uniform in
 * [0, 2·latency], receive-side partition rules checked at delivery, like Maelstrom), the harness's own {@code seq-kv}
 * ({@link SeqKv}: Maelstrom's 32-state ring with stale reads and failed CAS on old states) and test clients whose requests get no network latency.
 */
public final class SimCluster {
  public final SimEventLoop loop = new SimEventLoop();
  public final SplittableRandom random;
  public final List<String> ids;
  private final SimNetwork net;
  /** The harness's own seq-kv, so these tests exercise the semantics our harness (and Maelstrom) serve. */
  private final SeqKv seqKv;
  private final long latency;
  private final boolean uniform;
  /** Replies received by clients: client id → (in_reply_to → body). */
  private final Map<String, Map<Long, ObjectNode>> replies = new HashMap<>();
  /** Virtual time at which each client reply arrived: client id → (in_reply_to → ms). */
  private final Map<String, Map<Long, Long>> replyTimes = new HashMap<>();
  private final Map<String, Long> sentAt = new HashMap<>();
  private long clientSeq;
  public long serverMessages;
  /** Probability that a seq-kv request is held back 1.5 s before being applied (the node times out). */
  public double slowServiceProbability;
  /** How long a "slow" seq-kv request is held back. */
  public long slowServiceDelay = 1500;

  private final Supplier<WorkloadHandler> handler;

  public SimCluster(int n, long seed, long latency, boolean uniform, Supplier<WorkloadHandler> handler) {
    this.handler = handler;
    this.random = new SplittableRandom(seed);
    this.seqKv = new SeqKv(random.split());
    this.latency = latency;
    this.uniform = uniform;
    this.net = new SimNetwork(loop, n, handler, id -> random.split(), Map.of(), this::route);
    this.ids = net.ids;
    net.init(id -> "c-init-" + id, () -> 1);
  }

  private long delay() {
    if (!uniform) return latency;
    return latency == 0 ? 0 : random.nextLong(0, 2 * latency + 1);
  }

  private void route(String src, String dest, ObjectNode body, String line) {
    if (dest.startsWith("c")) {
      if (body.has("in_reply_to")) {
        replies.computeIfAbsent(dest, k -> new HashMap<>()).put(body.get("in_reply_to").asLong(), body);
        replyTimes.computeIfAbsent(dest, k -> new HashMap<>()).put(body.get("in_reply_to").asLong(), loop.nowMillis());
      }
      return;
    }
    serverMessages++;
    if (dest.equals("seq-kv")) {
      long extra = random.nextDouble() < slowServiceProbability ? slowServiceDelay : 0;
      loop.schedule(
          delay() + extra,
          () -> {
            ObjectNode reply = seqKvReply(src, body);
            serverMessages++;
            loop.schedule(delay(), () -> net.deliver("seq-kv", src, reply));
          });
      return;
    }
    net.deliverLater(delay(), src, dest, line);
  }

  private ObjectNode seqKvReply(String src, ObjectNode body) {
    Map<String, Object> reply = seqKv.handle(src, plain(body));
    if (reply == null) throw new IllegalStateException("seq-kv cannot handle " + body);
    reply.put("in_reply_to", body.has("msg_id") ? body.get("msg_id").asLong() : null);
    return (ObjectNode) Json.MAPPER.valueToTree(reply);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(ObjectNode body) {
    return (Map<String, Object>) Json.toPlain(body);
  }

  /**
   * The node crashes and restarts at once: a new handler under the same id, which keeps nothing (the
   * counters' state lives in seq-kv), initialised again.
   */
  public void restart(String id) {
    net.restart(id, handler.get(), random.split());
    net.init(id, "c-init-" + id, 1);
  }

  /** Isolates the given group from the rest, both ways. */
  public void partition(Set<String> group) {
    net.partition(group);
  }

  /** One-way drop: {@code dest} ignores everything from {@code src}. */
  public void drop(String dest, String src) {
    net.drop(dest, src);
  }

  public void heal() {
    net.heal();
  }

  /** A client request handle; {@link #reply()} is null until the node answered. */
  public final class Call {
    final String client;
    final long msgId;

    Call(String client, long msgId) {
      this.client = client;
      this.msgId = msgId;
    }

    public ObjectNode reply() {
      return replies.getOrDefault(client, Map.of()).get(msgId);
    }

    /** Milliseconds from the request to its reply; null while unanswered. */
    public Long replyDelay() {
      Long at = replyTimes.getOrDefault(client, Map.of()).get(msgId);
      return at == null ? null : at - sentAt.get(client);
    }
  }

  /** Sends a client request to a node (client links have no latency). */
  public Call request(String node, ObjectNode body) {
    String client = "c" + (clientSeq++);
    body.put("msg_id", 1);
    sentAt.put(client, loop.nowMillis());
    net.deliver(client, node, body);
    return new Call(client, 1);
  }

  public static ObjectNode body(String type) {
    ObjectNode b = Json.object();
    b.put("type", type);
    return b;
  }
}
