package glomers.harness.nemesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A fault that takes a random minority of nodes ({@link Minority}) out and later brings each back, beyond
 * Maelstrom, which only partitions (docs/faults.md#the-fault-nemeses). Two kinds share it:
 *
 * <ul>
 *   <li>{@link #kill}: each start SIGKILLs its nodes; stop restarts each with the same id and working
 *       directory and re-inits it;
 *   <li>{@link #pause}: each start SIGSTOPs its nodes, whose messages queue up; stop SIGCONTs them.
 * </ul>
 *
 * A node already out is not taken out twice, and stop brings back exactly the nodes this fault took out.
 */
public final class NodeFault implements Fault {
  private final String name;
  private final String doneStart;
  private final String doneStop;
  private final Consumer<String> takeOut;
  private final Consumer<String> bringBack;
  private final List<String> ids;
  private final List<String> out = new ArrayList<>();

  private NodeFault(String name, String doneStart, String doneStop, Consumer<String> takeOut,
      Consumer<String> bringBack, List<String> ids) {
    this.name = name;
    this.doneStart = doneStart;
    this.doneStop = doneStop;
    this.takeOut = takeOut;
    this.bringBack = bringBack;
    this.ids = List.copyOf(ids);
  }

  /** Crashes: {@code start-kill} / {@code stop-kill}, recorded as "killed" / "restarted". */
  public static NodeFault kill(NodeControl nodes, List<String> ids) {
    return new NodeFault("kill", "killed", "restarted", nodes::kill, nodes::restart, ids);
  }

  /** Stalls: {@code start-pause} / {@code stop-pause}, recorded as "paused" / "resumed". */
  public static NodeFault pause(NodeControl nodes, List<String> ids) {
    return new NodeFault("pause", "paused", "resumed", nodes::pause, nodes::resume, ids);
  }

  @Override
  public String name() {
    return name;
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
          if (out.contains(id)) continue;
          takeOut.accept(id);
          out.add(id);
        }
        return Arrays.asList(doneStart, victims);
      }
    };
  }

  @Override
  public Object stop() {
    List<String> back = new ArrayList<>(out);
    out.clear();
    for (String id : back) bringBack.accept(id);
    return Arrays.asList(doneStop, back);
  }
}
