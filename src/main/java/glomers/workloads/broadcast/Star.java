package glomers.workloads.broadcast;

import glomers.node.Node;
import glomers.node.stream.PeerStreams;
import glomers.workloads.broadcast.Gossip.Entry;
import java.util.Collection;
import java.util.List;

/**
 * Star ({@code mode=star}, the default and {@code profile=efficient}): leaves send their clients' values
 * to the hub, and the hub sends one batch per {@code tick-ms} to every leaf. That meets the message floor
 * of batching (≈ uploads + one message per leaf and period) at the price of two hops plus the wait for the
 * next batch.
 *
 * <p>Leaves upload at once; with {@code sync=true} a leaf instead times its upload to arrive just before
 * the hub's next tick ({@link HubClock}), so it uploads at most once per period while a value still waits
 * at most one period in total (at the leaf instead of at the hub). That saves uploads but adds its margin
 * to the latency and turns network jitter into a missed tick, so only the efficient end uses it.
 */
final class Star extends HubMesh {
  Star(Node node, Config cfg, Values values) {
    super(node, cfg, values);
  }

  @Override
  boolean aimsAtTick() {
    return cfg.sync();
  }

  @Override
  Collection<String> peers() {
    return isHub() ? node.otherNodeIds() : List.of(hub);
  }

  @Override
  public void clientValue(long v) {
    if (isHub()) {
      offerAll(v, null); // goes out on the tick
      return;
    }
    PeerStreams<Entry>.Link up = streams.link(hub);
    up.offer(new Entry(v, false));
    Long slot = cfg.sync() ? clock.untilSlot() : null;
    upload(up, slot != null ? slot : holdoff(up));
  }

  @Override
  public void peerValue(String from, long v, boolean relay) {
    if (isHub()) offerAll(v, from);
  }
}
