package glomers.workloads.broadcast;

import glomers.node.Node;
import glomers.node.stream.PeerStreams;
import glomers.workloads.broadcast.Gossip.Entry;

/**
 * A {@link Mesh} with a hub that flushes on its tick ({@link Star}, {@link Hybrid}): the hub's clock,
 * and the stamps and echoes by which leaves that aim at its tick learn its phase.
 */
abstract class HubMesh extends Mesh {
  final HubClock clock;

  HubMesh(Node node, Config cfg, Values values) {
    super(node, cfg, values);
    clock = new HubClock(node, cfg);
  }

  /** Whether this node's leaves time messages to the hub's tick (and so stamp them and learn the phase). */
  abstract boolean aimsAtTick();

  @Override
  void onStart() {
    // the hub echoes phases between its ticks too, so its clock is anchored on the start
    if (isHub() && !node.otherNodeIds().isEmpty()) clock.startTicks(this::flush);
  }

  @Override
  Long stampFor(PeerStreams<Entry>.Link link) {
    return aimsAtTick() && !isHub() && link.peer().equals(hub) ? node.nowMillis() : null;
  }

  @Override
  Long echoFor(PeerStreams<Entry>.Link link) {
    return isHub() ? clock.echo(link.peer()) : null;
  }

  @Override
  void heard(String peer, Gossip g) {
    if (g.stamp() != null) clock.leafStamp(peer, g.stamp());
    if (g.echo() != null && aimsAtTick()) clock.learnPhase(g.echo());
  }
}
