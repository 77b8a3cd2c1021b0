package glomers.harness.workload;

import java.util.List;
import java.util.SplittableRandom;

/** What a {@link Generator} knows about the free worker asking for an op. */
public interface GenContext {
  /** Worker thread index, 0 … concurrency-1. */
  int thread();

  /** Current process id of that worker: {@code thread + k × concurrency} after k {@code :info}s. */
  long process();

  /** The node this worker is bound to: {@code nodeIds[thread mod n]}. */
  String node();

  /** The test's seeded random for generators (shared by all workers; calls are serialised). */
  SplittableRandom random();

  /** Nanoseconds since the test started (history time base). */
  long elapsedNanos();

  TestSpec test();

  default int concurrency() {
    return test().concurrency();
  }

  default List<String> nodeIds() {
    return test().nodeIds();
  }

  /** A fixed context, for generator unit tests. */
  static GenContext of(TestSpec test, int thread, long process, long elapsedNanos, SplittableRandom random) {
    return new GenContext() {
      @Override public int thread() { return thread; }
      @Override public long process() { return process; }
      @Override public String node() { return test.nodeIds().get(thread % test.nodeIds().size()); }
      @Override public SplittableRandom random() { return random; }
      @Override public long elapsedNanos() { return elapsedNanos; }
      @Override public TestSpec test() { return test; }
    };
  }
}
