package glomers.harness.nemesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Crashes: each start SIGKILLs a random minority ({@link Minority}); stop restarts each with the same id
 * and working directory and re-inits it (docs/faults.md#the-fault-nemeses). Beyond Maelstrom, which never
 * kills a node.
 */
public final class KillFault implements Fault {
  private final NodeControl nodes;
  private final List<String> ids;
  private final List<String> dead = new ArrayList<>();

  public KillFault(NodeControl nodes, List<String> ids) {
    this.nodes = nodes;
    this.ids = List.copyOf(ids);
  }

  @Override
  public String name() {
    return "kill";
  }

  @Override
  public Start plan(SplittableRandom r) {
    List<String> victims = Minority.pick(ids, r);
    return new Start() {
      @Override
      public Object asked() {
        return victims;
      }

      @Override
      public Object apply() {
        for (String id : victims) {
          if (dead.contains(id)) continue;
          nodes.kill(id);
          dead.add(id);
        }
        return Arrays.asList("killed", victims);
      }
    };
  }

  @Override
  public Object stop() {
    List<String> restarted = new ArrayList<>(dead);
    dead.clear();
    for (String id : restarted) nodes.restart(id);
    return Arrays.asList("restarted", restarted);
  }
}
