package glomers.workloads.broadcast;

import glomers.node.Node;
import java.util.Collection;

/**
 * Direct fan-out ({@code mode=direct}, {@code profile=latency}), the latency end: the origin sends every
 * value to every other node at once, one hop. {@code holdoff-ms} adds a leading-edge rate limit per origin
 * ({@link Mesh#fanOut}); the profile keeps it at 0, since the few per cent it saves are intermediate points
 * of the trade-off curve.
 */
final class Direct extends Mesh {
  Direct(Node node, Config cfg, Values values) {
    super(node, cfg, values);
  }

  @Override
  Collection<String> peers() {
    return node.otherNodeIds();
  }

  @Override
  public void clientValue(long v) {
    offerAll(v, null);
    fanOut();
  }

  @Override
  public void peerValue(String from, long v, boolean relay) {
    // the origin delivers its values to everyone itself
  }
}
