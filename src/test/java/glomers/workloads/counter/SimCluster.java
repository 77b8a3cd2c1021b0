package glomers.workloads.counter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.SimNetwork;
import glomers.node.WorkloadHandler;
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
 * [0, 2·latency], receive-side partition rules checked at delivery, like Maelstrom), Maelstrom's {@code seq-kv} (protocol.md §7.2
 * algorithm: 32-state ring, per-caller index, stale reads/failed CAS on old states, mutations applied to
 * the newest state) and test clients whose requests get no network latency.
 */
public final class SimCluster {
  public final SimEventLoop loop = new SimEventLoop();
  public final SplittableRandom random;
  public final List<String> ids;
  private final SimNetwork net;
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

  public SimCluster(int n, long seed, long latency, boolean uniform, Supplier<WorkloadHandler> handler) {
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
            ObjectNode reply = seqKv.handle(src, body);
            serverMessages++;
            loop.schedule(delay(), () -> net.deliver("seq-kv", src, reply));
          });
      return;
    }
    net.deliverLater(delay(), src, dest, line);
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

  // ---------------------------------------------------------------- seq-kv

  /** Maelstrom v0.2.3's seq-kv as specified in protocol.md §7.2 / harness-notes §1.2. */
  static final class SeqKv {
    private static final int CAPACITY = 32;
    private final SplittableRandom random;
    private final List<Map<String, JsonNode>> ring = new ArrayList<>();
    private long lastIndex;
    private final Map<String, Long> callerIndex = new HashMap<>();

    SeqKv(SplittableRandom random) {
      this.random = random;
      ring.add(new HashMap<>());
    }

    private Map<String, JsonNode> state(long index) {
      // ring holds states lastIndex-ring.size()+1 .. lastIndex; older indexes wrap inside the buffer
      long oldest = lastIndex - ring.size() + 1;
      long i = index < oldest ? oldest + Math.floorMod(index - oldest, ring.size()) : index;
      return ring.get((int) (i - oldest));
    }

    ObjectNode handle(String src, ObjectNode req) {
      long ci = Math.min(callerIndex.getOrDefault(src, 0L), lastIndex);
      long idx = ci + random.nextLong(0, lastIndex - ci + 1);
      Map<String, JsonNode> s = state(idx);
      Map<String, JsonNode> s2 = new HashMap<>(s);
      ObjectNode reply = apply(s2, req);
      if (s2.equals(s)) {
        callerIndex.put(src, Math.max(ci, idx));
      } else {
        Map<String, JsonNode> newest = new HashMap<>(ring.get(ring.size() - 1));
        reply = apply(newest, req);
        ring.add(newest);
        if (ring.size() > CAPACITY) ring.remove(0);
        lastIndex++;
        callerIndex.put(src, lastIndex);
      }
      if (req.has("msg_id")) reply.put("in_reply_to", req.get("msg_id").asLong());
      return reply;
    }

    private static ObjectNode apply(Map<String, JsonNode> s, ObjectNode req) {
      String type = req.get("type").asText();
      String k = Json.write(req.get("key"));
      switch (type) {
        case "read" -> {
          if (!s.containsKey(k)) return error(20, "key does not exist");
          ObjectNode r = body("read_ok");
          r.set("value", s.get(k));
          return r;
        }
        case "write" -> {
          s.put(k, req.get("value"));
          return body("write_ok");
        }
        case "cas" -> {
          JsonNode cur = s.get(k);
          if (cur == null) {
            if (req.path("create_if_not_exists").asBoolean(false)) {
              s.put(k, req.get("to"));
              return body("cas_ok");
            }
            return error(20, "key does not exist");
          }
          if (!cur.equals(req.get("from"))) return error(22, "current value " + cur + " is not " + req.get("from"));
          s.put(k, req.get("to"));
          return body("cas_ok");
        }
        default -> throw new IllegalArgumentException("No matching clause: " + type);
      }
    }

    private static ObjectNode error(int code, String text) {
      ObjectNode e = body("error");
      e.put("code", code);
      e.put("text", text);
      return e;
    }
  }
}
