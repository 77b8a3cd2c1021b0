package glomers.harness.nemesis;

import glomers.harness.net.Network;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Maelstrom's partition nemesis: each start picks one of {@link Grudges#SPECS} uniformly and installs its
 * receive-side drop rules; stop heals the whole network (docs/maelstrom.md#partitions).
 */
public final class PartitionFault implements Fault {
  private final Network net;
  private final List<String> nodes;

  public PartitionFault(Network net, List<String> nodes) {
    this.net = net;
    this.nodes = nodes;
  }

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public Start plan(SplittableRandom r) {
    String spec = Grudges.SPECS.get(r.nextInt(Grudges.SPECS.size()));
    Map<String, Set<String>> grudge = Grudges.forSpec(spec, nodes, r);
    return new Start() {
      @Override
      public Object asked() {
        return spec;
      }

      @Override
      public Object apply() {
        net.drop(grudge);
        return Arrays.asList("isolated", Grudges.toJson(grudge));
      }
    };
  }

  @Override
  public Object stop() {
    net.heal();
    return "network-healed";
  }
}
