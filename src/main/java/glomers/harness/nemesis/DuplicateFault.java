package glomers.harness.nemesis;

import glomers.harness.net.Network;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Duplicated messages: from start to stop the network sends each node↔node message twice, the copy with
 * its own latency (docs/faults.md#the-fault-nemeses). Never client↔node traffic (a client would see two
 * replies) nor service traffic (seq-kv, lin-kv, lww-kv and lin-tso are not idempotent: a duplicated
 * compare-and-set answers twice, once with an error). Beyond Maelstrom.
 */
public final class DuplicateFault implements Fault {
  private final Network net;
  private final Set<String> nodes;

  public DuplicateFault(Network net, List<String> nodes) {
    this.net = net;
    this.nodes = Set.copyOf(nodes);
  }

  @Override
  public String name() {
    return "duplicate";
  }

  @Override
  public Start plan(SplittableRandom r) {
    return new Start() {
      @Override
      public Object asked() {
        return "all";
      }

      @Override
      public Object apply() {
        net.duplicate(nodes);
        return "duplicating";
      }
    };
  }

  @Override
  public Object stop() {
    net.duplicate(Set.of());
    return "not-duplicating";
  }
}
