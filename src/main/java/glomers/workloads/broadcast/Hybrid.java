package glomers.workloads.broadcast;

import glomers.node.Node;
import glomers.node.stream.PeerStreams;
import glomers.workloads.broadcast.Gossip.Entry;
import java.util.Collection;

/**
 * Hybrid ({@code mode=hybrid}, {@code profile=hybrid}) mixes star and direct per value. Every node has
 * direct links to all others, and the hub also flushes every {@code tick-ms} (T), to every leaf, what
 * leaves asked it to relay. A leaf knows the hub's tick phase from the same echo as the star's {@code
 * sync} ({@link HubClock}). For a new client value it computes how long an upload sent now would wait at
 * the hub for the next flush: at most {@code window-ms} (W) → upload it flagged for relay (one message; the
 * value reaches the others in two hops + ≤ W); otherwise fan it out directly (one hop, a message per
 * peer). A leaf that has not learnt the phase yet fans out; the hub puts its own values into the next
 * flush if it is at most W away, else fans out.
 *
 * <p>The relayed share is ≈ (W − margin)/T: below one half, the median stays on the one-hop path while
 * every relayed value saves all but one of its messages, and the max is ≈ two hops + W. The bet is that
 * client arrivals are uniform in the hub's tick phase. Relay flags travel with the stream, so
 * retransmissions keep them, and a restarted hub is asked to relay everything offered to it again.
 */
final class Hybrid extends HubMesh {
  Hybrid(Node node, Config cfg, Values values) {
    super(node, cfg, values);
  }

  @Override
  boolean aimsAtTick() {
    return true;
  }

  @Override
  Collection<String> peers() {
    return node.otherNodeIds();
  }

  @Override
  public void clientValue(long v) {
    if (node.otherNodeIds().isEmpty()) return;
    if (isHub()) {
      offerAll(v, null);
      if (clock.untilTick() > cfg.windowMs()) fanOut();
      return;
    }
    Long slack = clock.untilSlot();
    if (slack != null && slack + clock.margin() <= cfg.windowMs()) {
      PeerStreams<Entry>.Link up = streams.link(hub);
      up.offer(new Entry(v, true));
      upload(up, holdoff(up));
      return;
    }
    offerAll(v, null);
    fanOut();
  }

  @Override
  public void peerValue(String from, long v, boolean relay) {
    if (isHub() && relay) offerAll(v, from); // else the origin sent it to everyone itself
  }

  @Override
  boolean relayOnRestart(String peer) {
    return peer.equals(hub);
  }
}
