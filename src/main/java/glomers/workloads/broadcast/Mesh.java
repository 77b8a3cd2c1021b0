package glomers.workloads.broadcast;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Cancellable;
import glomers.node.Node;
import glomers.node.stream.PeerStreams;
import glomers.protocol.Message;
import glomers.workloads.broadcast.Gossip.Entry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the three protocols share: one reliable stream per link ({@link PeerStreams}: every {@link Gossip}
 * carries all the link's unacknowledged values, so while traffic flows the next regular message repairs
 * any loss, and acks ride on whatever goes back), and the two send schedules built on it: an upload to
 * the hub after a delay, and a fan-out to every link rate-limited per origin.
 */
abstract class Mesh implements Protocol, PeerStreams.Transport<Entry> {
  /** This node's values: {@code add} is false for one already held. */
  interface Values {
    boolean add(long v);

    Collection<Long> all();
  }

  final Node node;
  final Config cfg;
  final String hub;
  private final Values values;
  PeerStreams<Entry> streams;
  private final Map<String, Cancellable> uploads = new HashMap<>();
  private Cancellable fanout;
  private long lastFanoutAt = Long.MIN_VALUE / 2;

  Mesh(Node node, Config cfg, Values values) {
    this.node = node;
    this.cfg = cfg;
    this.values = values;
    this.hub = cfg.hubAmong(node.nodeIds());
  }

  /** The peers this node keeps links to. */
  abstract Collection<String> peers();

  /** Starts the protocol's own timers, after the links exist. */
  void onStart() {}

  /** A leaf's send time for the hub to echo, or null. */
  Long stampFor(PeerStreams<Entry>.Link link) {
    return null;
  }

  /** The hub's phase echo for a leaf, or null. */
  Long echoFor(PeerStreams<Entry>.Link link) {
    return null;
  }

  /** A message's timing fields arrived (before its values are applied). */
  void heard(String peer, Gossip g) {}

  /** Whether values offered again to a restarted peer ask it to relay them. */
  boolean relayOnRestart(String peer) {
    return false;
  }

  boolean isHub() {
    return node.id().equals(hub);
  }

  @Override
  public final void start(long incarnation) {
    streams = new PeerStreams<>(node, incarnation, cfg.rtoMs(), cfg.ackDelayMs(), this).start(peers());
    onStart();
  }

  @Override
  public final void send(PeerStreams<Entry>.Link link) {
    ObjectNode b = node.body(Gossip.TYPE);
    new Gossip(link.stamp(b), stampFor(link), echoFor(link)).writeTo(b);
    node.send(link.peer(), b);
  }

  @Override
  public final void peerRestarted(PeerStreams<Entry>.Link link) {
    boolean relay = relayOnRestart(link.peer());
    for (long v : values.all()) link.offer(new Entry(v, relay));
  }

  @Override
  public final void receive(Message msg) {
    if (streams == null) return; // not started yet: the sender resends
    Gossip g = Gossip.readFrom(msg.body());
    PeerStreams.Receipt r = streams.receive(msg.src(), msg.body(), g.entries().size());
    if (r.stale()) return;
    heard(msg.src(), g);
    for (int i = r.firstNew(); i < g.entries().size(); i++) {
      Entry e = g.entries().get(i);
      if (values.add(e.value())) peerValue(msg.src(), e.value(), e.relay());
    }
  }

  /** Offers a value to every link except the one to {@code except}. */
  void offerAll(long v, String except) {
    for (PeerStreams<Entry>.Link l : streams.links()) if (!l.peer().equals(except)) l.offer(new Entry(v, false));
  }

  /** Sends on every link that holds values never sent. */
  void flush() {
    for (PeerStreams<Entry>.Link l : streams.links()) if (l.hasUnsent()) send(l);
  }

  /**
   * Sends the link's new values after {@code delayMs} unless an upload is already pending; delay 0 still
   * goes through the loop, so values stored in the same turn share the message.
   */
  void upload(PeerStreams<Entry>.Link link, long delayMs) {
    if (uploads.containsKey(link.peer())) return;
    uploads.put(link.peer(), node.after(delayMs, () -> {
      uploads.remove(link.peer());
      if (link.hasUnsent()) send(link);
    }));
  }

  /** The upload delay that keeps a link to at most one message per {@code holdoff-ms}. */
  long holdoff(PeerStreams<Entry>.Link link) {
    return cfg.holdoffMs() > 0 ? Math.max(0, link.lastSendAt() + cfg.holdoffMs() - node.nowMillis()) : 0;
  }

  /**
   * Leading-edge rate limit per origin: new values go to every peer at once unless this node fanned out
   * less than {@code holdoff-ms} ago; then they wait for that window to close and share the message with
   * whatever else arrived. Per origin, not per link, so that all peers get a value at the same moment (the
   * slowest peer sets the stable latency).
   */
  void fanOut() {
    if (fanout != null) return;
    fanout = node.after(Math.max(0, lastFanoutAt + cfg.holdoffMs() - node.nowMillis()), () -> {
      fanout = null;
      lastFanoutAt = node.nowMillis();
      flush();
    });
  }
}
