package glomers.harness.workload;

import glomers.harness.check.Checker;

/**
 * One Maelstrom workload as the harness runs it: client RPCs + generator + optional final phase + checker.
 *
 * <p>Register an implementation in {@link Workloads} (one line per workload). The harness core owns
 * everything else: processes, network, services, scheduler (rate stagger, time limit, nemesis, final
 * phase), history, common checkers (stats, availability, net, exceptions, perf, timeline) and results.
 */
public interface Workload {
  /** Maelstrom's {@code -w} name, e.g. {@code "broadcast"}. */
  String name();

  /**
   * Rejects a test this workload cannot run (e.g. lin-kv: concurrency must be a multiple of 2n). Throw
   * {@link IllegalArgumentException}: the harness aborts with exit 255, as Maelstrom's assertion does.
   */
  default void validate(TestSpec test) {}

  /**
   * docs/maelstrom.md#timeouts-and-client-reuse: {@code false} → a worker's client is closed and replaced (new
   * {@code c} id) before its next op after an {@code :info}; {@code true} → the same client keeps going.
   */
  boolean reusableClient();

  /** Timeout of every workload RPC (lin-kv: {@code max(10 × latency, 1000)}). */
  default long rpcTimeoutMillis(TestSpec test) {
    return 5000;
  }

  /**
   * Client setup for one node, on that node's setup client (opened after the init clients, kept open until
   * teardown). E.g. broadcast sends {@code topology} here. Any exception (incl. a timeout) aborts the test
   * with exit 255, like an exception in Maelstrom's client {@code setup!}.
   */
  default void setup(TestSpec test, String node, RpcClient setupClient) throws Exception {}

  /** A fresh client for one worker (and for each replacement after an {@code :info}). */
  WorkloadClient newClient(TestSpec test);

  /** The main-phase client generator; the scheduler applies the {@code --rate} stagger and time limit. */
  Generator generator(TestSpec test);

  /**
   * The final-phase generator, or null when the workload has no final phase. When present it runs after
   * all workers are idle, the final heal and 10 s of quiet, without rate stagger.
   */
  default Generator finalGenerator(TestSpec test) {
    return null;
  }

  /** Cut-off of the final phase, measured from its start (kafka: 10 000). */
  default long finalPhaseLimitMillis() {
    return Long.MAX_VALUE;
  }

  /** The workload checker: the {@code "workload"} entry of results.json. */
  glomers.harness.check.Checker checker(TestSpec test);
}
