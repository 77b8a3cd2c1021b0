package glomers.node.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reliable ordered streams between this node and each peer: every entry a node offers a peer reaches it
 * exactly once and in order, despite lost, duplicated and reordered messages, partitions and restarts.
 *
 * <h2>Streams with cumulative acks</h2>
 *
 * Each direction of each pair of nodes is a stream of entries at positions 0, 1, 2, … The sender keeps an
 * entry until the peer acknowledges it. A message carries a run of entries and the position of the first
 * ({@code s}); the receiver takes only the entries that continue its copy exactly, so a duplicate or a
 * retransmission applies nothing twice and an entry after a gap waits for the retransmission (go-back-N).
 * Acknowledgements are cumulative counts ({@code a}) that ride on whatever message goes the other way, so
 * they are free while traffic flows; a pure ack goes out only when one has been owed for {@code
 * ackDelayMs} with nothing going back.
 *
 * <h2>Latest state</h2>
 *
 * Besides entries, a link carries one "latest state" (a watermark, a summary) that replaces its
 * predecessor instead of queuing behind it. It is tagged with a version ({@code lv}) and the stream
 * position it was set at ({@code lp}): the receiver takes it only once it holds the stream up to there (the
 * state may describe those entries), acknowledges it by version ({@code la}), and the sender resends it
 * until that ack arrives.
 *
 * <h2>Retransmission</h2>
 *
 * Runs on the node's timer: a link whose sent entries or latest state have waited {@code rtoMs} since its
 * last message without being acknowledged is sent again. Entries never sent are not retransmissions: the
 * workload sends them on its own schedule (a hub's tick, a batching interval), and this component never
 * sends them ahead of it.
 *
 * <h2>Restarts</h2>
 *
 * A node numbers its lives ({@code incarnation}, durable, one higher after each restart). Every message
 * names the sender's incarnation ({@code i}) and the receiver's as the sender knows it ({@code to}, 0 while
 * it knows none). A higher incarnation of a peer means the peer lost whatever it had not made durable: both
 * streams with it restart at position 0 and the workload offers it its state again ({@link
 * Transport#peerRestarted}). A message addressed to an older incarnation of this node is stale (its
 * positions and acks describe streams that no longer exist) and only its {@code i} counts. A restarted node
 * announces itself to every peer, resending until the peer has addressed a message to its new incarnation.
 *
 * <p>Loop thread only, like every handler.
 *
 * @param <T> what an entry is; the workload encodes entries into its own messages
 */
public final class PeerStreams<T> {
  /** How the workload sends on a link; it owns the message type and the entries' encoding. */
  public interface Transport<T> {
    /**
     * Sends one message to {@code link.peer()} now, built with {@link Link#stamp} (entries, acks, latest
     * state); called for retransmissions, pure acks and announcements.
     */
    void send(PeerStreams<T>.Link link);

    /** The peer restarted and kept only what it had made durable: offer it this node's state again. */
    default void peerRestarted(PeerStreams<T>.Link link) {}
  }

  /** What a received message brought. */
  public record Receipt(boolean stale, int skip, JsonNode latest) {
    static final Receipt STALE = new Receipt(true, Integer.MAX_VALUE, null);

    /** Index of the first entry of the message that is new (entries before it are duplicates). */
    public int firstNew() {
      return skip;
    }
  }

  private final Node node;
  private final long incarnation;
  private final long rtoMs;
  private final long ackDelayMs;
  private final Transport<T> transport;
  private final Map<String, Link> links = new LinkedHashMap<>();

  /**
   * @param incarnation this node's life, from 1; a restarted node must pass a higher one than before
   * @param rtoMs how long sent but unacknowledged data waits before it is resent
   * @param ackDelayMs how long an owed ack waits for a message to ride on; ≤ 0: the workload sends acks
   *     itself (see {@link Link#ackOwed})
   */
  public PeerStreams(Node node, long incarnation, long rtoMs, long ackDelayMs, Transport<T> transport) {
    if (incarnation < 1) throw new IllegalArgumentException("incarnations start at 1");
    this.node = node;
    this.incarnation = incarnation;
    this.rtoMs = rtoMs;
    this.ackDelayMs = ackDelayMs;
    this.transport = transport;
  }

  /** Opens links to the peers and starts the retransmission timer; a restarted node announces itself. */
  public PeerStreams<T> start(Collection<String> peers) {
    for (String p : peers) link(p);
    if (links.isEmpty()) return this;
    node.every(Math.max(20, Math.min(250, rtoMs / 4)), this::check);
    if (incarnation > 1) {
      for (Link l : links.values()) {
        l.announcing = true;
        transport.send(l);
      }
    }
    return this;
  }

  public long incarnation() {
    return incarnation;
  }

  /**
   * The storage record of a life ({@code i<n>}); a workload appends it and syncs it before it opens the
   * streams, since a second life under the same number would let peers believe it still held what the
   * first had acknowledged.
   */
  public static byte[] lifeRecord(long incarnation) {
    return ("i" + incarnation).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The life a {@link #lifeRecord} names, or -1 for any other record. */
  public static long lifeOf(byte[] record) {
    if (record.length < 2 || record[0] != 'i') return -1;
    try {
      return Long.parseLong(new String(record, 1, record.length - 1, java.nio.charset.StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The link to a peer, opened on first use (a peer outside the workload's structure may write to us). */
  public Link link(String peer) {
    return links.computeIfAbsent(peer, p -> new Link(p));
  }

  public Collection<Link> links() {
    return links.values();
  }

  /**
   * Takes the stream fields of a message from {@code peer} carrying {@code entries} entries; the workload
   * then applies entries from {@link Receipt#firstNew} on, and the latest state if one came.
   */
  public Receipt receive(String peer, ObjectNode body, int entries) {
    Link l = link(peer);
    long e = body.path("i").asLong(1);
    if (e < l.peerIncarnation) return Receipt.STALE;
    if (e > l.peerIncarnation) {
      boolean restarted = l.peerIncarnation > 0;
      l.peerIncarnation = e;
      if (restarted) {
        l.reset();
        l.owe(node.nowMillis()); // answer, so that its announcement ends
        transport.peerRestarted(l);
      }
    }
    long to = body.path("to").asLong(0);
    if (to != 0 && to != incarnation) return Receipt.STALE;
    if (to == incarnation) l.announcing = false;
    l.onAck(body.path("a").asLong(0), body.path("la").asLong(0));
    if (entries > 0) l.owe(node.nowMillis()); // a resend of what we hold means our ack was lost: ack again
    long s = body.path("s").asLong(0);
    int skip = entries;
    if (s <= l.received) {
      skip = (int) Math.min(entries, l.received - s);
      l.received += entries - skip;
    }
    JsonNode latest = null;
    long lv = body.path("lv").asLong(0);
    if (lv > l.latestReceived && body.has("l") && l.received >= body.path("lp").asLong(0)) {
      l.latestReceived = lv;
      latest = body.get("l");
      l.owe(node.nowMillis());
    }
    armAck(l);
    return new Receipt(false, skip, latest);
  }

  private void check() {
    long now = node.nowMillis();
    for (Link l : links.values()) {
      boolean unacked = l.sent > l.acked || (l.latestSent > l.latestAcked && l.latestSent > 0);
      if ((unacked || l.announcing) && now - l.lastSendAt >= rtoMs) transport.send(l);
    }
  }

  private void armAck(Link l) {
    if (ackDelayMs <= 0 || l.owedSince < 0 || l.ackTimer) return;
    l.ackTimer = true;
    node.after(ackDelayMs, () -> ackDue(l));
  }

  private void ackDue(Link l) {
    l.ackTimer = false;
    if (l.owedSince < 0) return; // something went back meanwhile
    long wait = l.owedSince + ackDelayMs - node.nowMillis();
    if (wait > 0) {
      l.ackTimer = true;
      node.after(wait, () -> ackDue(l));
    } else {
      transport.send(l);
    }
  }

  /** Both directions with one peer: what we owe it, and how much of its stream we hold. */
  public final class Link {
    private final String peer;
    private final ArrayList<T> out = new ArrayList<>();
    /** Positions: {@code out.get(0)} is at {@code acked}; entries below {@code sent} went out at least once. */
    private long acked, sent;
    private long lastSendAt = Long.MIN_VALUE / 2;
    /** Since when sent entries have waited without the peer's ack moving; -1 when all are acknowledged. */
    private long stalledSince = -1;
    private long received;
    private long owedSince = -1;
    private boolean ackTimer;
    private long peerIncarnation;
    private boolean announcing;
    private JsonNode latest;
    private long latestVersion, latestPos, latestSent, latestAcked, latestReceived;

    private Link(String peer) {
      this.peer = peer;
    }

    public String peer() {
      return peer;
    }

    /** Queues an entry for the peer (sent by the workload's next {@link #stamp}). */
    public void offer(T entry) {
      out.add(entry);
    }

    /** Replaces the latest state; it is valid at the stream's current end. */
    public void setLatest(JsonNode state) {
      latest = state;
      latestVersion++;
      latestPos = acked + out.size();
    }

    /** Entries not acknowledged yet, oldest first (a view: do not keep it). */
    public List<T> pending() {
      return out;
    }

    /** Whether some entry or the latest state has never been sent. */
    public boolean hasUnsent() {
      return sent < acked + out.size() || latestSent < latestVersion;
    }

    /** Whether an acknowledgement of the peer's stream is waiting for a message to ride on. */
    public boolean ackOwed() {
      return owedSince >= 0;
    }

    /**
     * Since when sent entries have waited with no progress of the peer's ack (-1: none waits). A workload
     * that sends only new entries while traffic flows ({@code fromAcked} false) goes back to the
     * acknowledged position when this gets old: the timer's resend covers only silent links.
     */
    public long stalledSince() {
      return stalledSince;
    }

    /** When this link last sent a message (node clock). */
    public long lastSendAt() {
      return lastSendAt;
    }

    /**
     * Writes the stream fields into {@code body} for a message the caller sends right away, and returns
     * the entries it must carry: every unacknowledged entry from the acknowledged position when {@code
     * fromAcked} (a retransmission repairs any loss), else only those never sent; at most {@code max}.
     */
    public List<T> stamp(ObjectNode body, boolean fromAcked, int max) {
      long from = fromAcked ? acked : sent;
      long end = Math.min(acked + out.size(), from + max);
      body.put("s", from);
      body.put("a", received);
      body.put("i", incarnation);
      if (peerIncarnation > 0) body.put("to", peerIncarnation);
      if (latestVersion > latestAcked) {
        body.set("l", latest);
        body.put("lv", latestVersion);
        body.put("lp", latestPos);
        latestSent = latestVersion;
      }
      if (latestReceived > 0) body.put("la", latestReceived);
      sent = Math.max(sent, end);
      lastSendAt = node.nowMillis();
      if (sent > acked && (stalledSince < 0 || fromAcked)) stalledSince = lastSendAt;
      owedSince = -1;
      return out.subList((int) (from - acked), (int) (end - acked));
    }

    /** {@link #stamp} with every unacknowledged entry. */
    public List<T> stamp(ObjectNode body) {
      return stamp(body, true, Integer.MAX_VALUE);
    }

    private void onAck(long a, long la) {
      if (a > acked) {
        long n = Math.min(a, acked + out.size()) - acked;
        out.subList(0, (int) n).clear();
        acked += n;
        sent = Math.max(sent, acked);
        stalledSince = sent > acked ? node.nowMillis() : -1;
      }
      if (la > latestAcked) latestAcked = Math.min(la, latestVersion);
    }

    private void owe(long now) {
      if (owedSince < 0) owedSince = now;
    }

    private void reset() {
      out.clear();
      acked = sent = received = 0;
      stalledSince = -1;
      latestVersion = latestSent = latestAcked = latestReceived = 0;
      latest = null;
    }
  }
}
