package glomers.workloads.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.node.storage.Storage;
import glomers.node.stream.PeerStreams;
import glomers.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Challenges 3a–3e: fault-tolerant, efficient broadcast with one default configuration.
 *
 * <h2>The problem</h2>
 *
 * Every value must reach every other node; every node-to-node message costs one unit of {@code
 * msgs-per-op} (acks included) and each hop takes Maelstrom's latency. The latency floor is one hop (the
 * origin sends to everybody at once), which costs a message per peer and value, because an origin gets too
 * few values to batch within a small latency budget. The message floor is a star: leaves send their new
 * values to a hub, the hub sends one batch per period to each leaf, at the price of two hops plus the wait
 * for the next batch. docs/broadcast.md works out both limits and measures every point between them.
 *
 * <h2>Design</h2>
 *
 * Three protocols behind {@link Protocol}, chosen by {@code mode} or a {@code profile} ({@link Config}):
 * {@link Star} (the default: the hub flushes every 150 ms), {@link Direct} (the latency end) and {@link
 * Hybrid} (per value: relay through the hub when its next flush is close, else fan out). All three send
 * over reliable per-peer streams ({@link Mesh}, {@link glomers.node.stream.PeerStreams}): a sender keeps
 * every value it owes a peer until the peer acknowledges it, each message carries all unacknowledged
 * values, acks ride on whatever goes back, and a silent link resends after {@code rto-ms}; so partitions
 * delay values but never lose them, and duplicates are harmless.
 *
 * <h2>Crashes</h2>
 *
 * {@code broadcast_ok} is sent once the value is synced to this node's {@link Storage} (a record per
 * client value), and a value becomes visible to reads at the same moment, so nothing a client saw can be
 * lost with this node. Values learnt from peers are not written: a restarted node announces its new
 * incarnation and every peer offers it all its values again, so whatever it had acknowledged on its
 * streams comes back. On restart a node also offers its own recovered values again, since it cannot know
 * which of them had been delivered. docs/faults.md has the argument in full.
 *
 * <p><b>Client contract.</b> {@code read} returns only this node's values; {@code topology} is
 * acknowledged and ignored (we choose our own structure); replies carry only the fields Maelstrom's closed
 * schemas allow.
 */
public final class BroadcastHandler implements WorkloadHandler {
  private static final String VALUE = "v";

  private Node node;
  private Protocol protocol;
  private final Set<Long> seen = new HashSet<>();
  private final List<Long> values = new ArrayList<>();
  /** Client values whose record this life has written (a sync makes them durable). */
  private final Set<Long> written = new HashSet<>();

  @Override
  public void install(Node n) {
    this.node = n;
    Config cfg = Config.parse(n.settings());
    n.onInit(() -> configure(cfg));
    n.on("topology", msg -> n.reply(msg, n.body("topology_ok")));
    n.on("broadcast", this::onBroadcast);
    n.on("read", msg -> {
      ObjectNode r = n.body("read_ok");
      ArrayNode arr = r.putArray("messages");
      for (Long v : values) arr.add(v);
      n.reply(msg, r);
    });
    n.on(Gossip.TYPE, msg -> {
      if (protocol != null) protocol.receive(msg);
    });
  }

  private void configure(Config cfg) {
    Mesh.Values store = new Mesh.Values() {
      @Override
      public boolean add(long v) {
        return store(v);
      }

      @Override
      public Collection<Long> all() {
        return values;
      }
    };
    Mesh p = switch (cfg.mode()) {
      case "direct" -> new Direct(node, cfg, store);
      case "hybrid" -> new Hybrid(node, cfg, store);
      default -> new Star(node, cfg, store);
    };
    node.log("broadcast: %s hub=%s", cfg, p.hub);
    Storage disk = node.storage();
    long incarnation = 1;
    List<Long> recovered = new ArrayList<>();
    for (byte[] rec : disk.recovered()) {
      long life = PeerStreams.lifeOf(rec);
      if (life >= 0) {
        incarnation = Math.max(incarnation, life + 1);
        continue;
      }
      long x = Long.parseLong(new String(rec, StandardCharsets.UTF_8).substring(VALUE.length()));
      if (written.add(x)) recovered.add(x);
    }
    long life = incarnation;
    disk.append(PeerStreams.lifeRecord(life));
    // Recovered values are durable already, so readable at once; they go to the peers once the streams are open.
    recovered.removeIf(v -> !store(v));
    disk.sync(() -> {
      protocol = p;
      p.start(life);
      for (long v : recovered) p.clientValue(v);
    });
  }

  private void onBroadcast(Message msg) {
    JsonNode m = msg.body().get("message");
    if (m == null || !m.isIntegralNumber() || !m.canConvertToLong()) {
      throw RpcException.malformed("broadcast needs an integer 'message'");
    }
    long v = m.longValue();
    Storage disk = node.storage();
    if (written.add(v)) disk.append((VALUE + v).getBytes(StandardCharsets.UTF_8));
    // Acknowledged and visible only once durable: a value a client or a read saw survives our crash.
    disk.sync(() -> {
      node.reply(msg, node.body("broadcast_ok"));
      if (store(v) && protocol != null) protocol.clientValue(v);
    });
  }

  /** Adds a value; false if this node held it already. */
  private boolean store(long v) {
    if (!seen.add(v)) return false;
    values.add(v);
    return true;
  }

  /** This node's values, in arrival order (tests). */
  List<Long> values() {
    return values;
  }
}
