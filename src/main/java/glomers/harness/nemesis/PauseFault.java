package glomers.harness.nemesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stalls: each start SIGSTOPs a random minority ({@link Minority}), whose messages queue up; stop
 * SIGCONTs them (docs/faults.md#the-fault-nemeses). Beyond Maelstrom.
 */
public final class PauseFault implements Fault {
  private final NodeControl nodes;
  private final List<String> ids;
  private final List<String> paused = new ArrayList<>();

  public PauseFault(NodeControl nodes, List<String> ids) {
    this.nodes = nodes;
    this.ids = List.copyOf(ids);
  }

  @Override
  public String name() {
    return "pause";
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
          if (paused.contains(id)) continue;
          nodes.pause(id);
          paused.add(id);
        }
        return Arrays.asList("paused", victims);
      }
    };
  }

  @Override
  public Object stop() {
    List<String> resumed = new ArrayList<>(paused);
    paused.clear();
    for (String id : resumed) nodes.resume(id);
    return Arrays.asList("resumed", resumed);
  }
}
