package glomers.harness.check;

import java.util.List;
import java.util.Map;

/**
 * What a checker may know about the run besides its history.
 *
 * @param nodeIds the server node ids, in test order
 * @param concurrency number of client worker threads
 * @param options the test's options as plain values, keyed by Maelstrom's long option name without dashes
 *     (e.g. {@code "consistency-models"} → {@code List<String>}, {@code "availability"} → {@code "total"} or
 *     a {@code Double}, {@code "strict"} → {@code Boolean}); absent when not given
 */
public record CheckContext(List<String> nodeIds, int concurrency, Map<String, Object> options) {

  public Object option(String name) {
    return options.get(name);
  }

  /** A context for checker unit tests: {@code n0..n(count-1)}, no options. */
  public static CheckContext forTest(int nodeCount, Map<String, Object> options) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < nodeCount; i++) ids.add("n" + i);
    return new CheckContext(ids, nodeCount, options);
  }
}
