package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kafka final phase (Jepsen's {@code final-polls} under {@code each-thread}): every worker crashes its
 * client, assigns every key ever seen with {@code seek-to-beginning? true}, then polls ({@code poll-ms
 * 1000}) with U[0, 0.4) s between polls until its own polls have reached the highest offset the main phase
 * saw for every key. The harness cuts the whole phase after 10 s ({@link KafkaWorkload#finalPhaseLimitMillis}).
 */
public final class KafkaFinalGenerator implements Generator {
  private final Map<String, Long> maxOffsets;
  private final int concurrency;
  private final Map<Integer, Worker> workers = new HashMap<>();

  private static final class Worker {
    int stage; // 0 crash, 1 assign, 2 polls
    long nextPollNanos;
    Map<String, Long> targets;
  }

  public KafkaFinalGenerator(Map<String, Long> maxOffsets, int concurrency) {
    this.maxOffsets = maxOffsets;
    this.concurrency = Math.max(1, concurrency);
  }

  @Override
  public Op next(GenContext ctx) {
    Worker w = workers.computeIfAbsent(ctx.thread(), t -> new Worker());
    if (w.targets == null) w.targets = new TreeMap<>(maxOffsets); // read when the final phase starts
    if (w.targets.isEmpty()) return null;
    switch (w.stage) {
      case 0:
        w.stage = 1;
        return Op.invoke(ctx.process(), "crash", null);
      case 1:
        w.stage = 2;
        w.nextPollNanos = ctx.elapsedNanos();
        return Op.invoke(ctx.process(), "assign", new ArrayList<>(w.targets.keySet()))
            .withExtra("seek-to-beginning?", true);
      default:
        if (ctx.elapsedNanos() < w.nextPollNanos) return PENDING;
        w.nextPollNanos = ctx.elapsedNanos() + (long) (ctx.random().nextDouble() * 400_000_000L);
        return Op.invoke(ctx.process(), "poll", java.util.List.of(java.util.List.of("poll"))).withExtra("poll-ms", 1000L);
    }
  }

  @Override
  public void update(Op completion) {
    if (!completion.isOk() || !"poll".equals(completion.f())) return;
    Worker w = workers.get((int) Math.floorMod(completion.process(), (long) concurrency));
    if (w == null || w.targets == null) return;
    Map<String, Long> seen = new LinkedHashMap<>(KafkaOps.maxOffsets(completion));
    seen.forEach((k, o) -> {
      Long target = w.targets.get(k);
      if (target != null && target <= o) w.targets.remove(k);
    });
  }
}
