package glomers.harness.workload.kafka;

import glomers.harness.check.Checker;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maelstrom's {@code kafka} workload (challenges 5a–5c): {@link KafkaClient} (assign/poll/commit state
 * machine), {@link KafkaGenerator} (send/poll mix, assign substitution, client crashes),
 * {@link KafkaFinalGenerator} (seek-to-beginning polls, cut after 10 s) and {@link KafkaChecker}.
 */
public final class KafkaWorkload implements Workload {
  /** Highest offset per key seen by any ok op of the main phase (Jepsen's track-key-offsets atom). */
  private final Map<String, Long> maxOffsets = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public boolean reusableClient() {
    return false;
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    return new KafkaClient(rpcTimeoutMillis(test));
  }

  @Override
  public Generator generator(TestSpec test) {
    return new KafkaGenerator(test, maxOffsets);
  }

  @Override
  public Generator finalGenerator(TestSpec test) {
    return new KafkaFinalGenerator(maxOffsets, test.concurrency());
  }

  @Override
  public long finalPhaseLimitMillis() {
    return 10_000;
  }

  @Override
  public Checker checker(TestSpec test) {
    return new KafkaChecker();
  }
}
