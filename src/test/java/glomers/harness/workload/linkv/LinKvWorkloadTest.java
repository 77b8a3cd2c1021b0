package glomers.harness.workload.linkv;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import java.util.Arrays;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.TestSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinKvWorkloadTest {
  private final LinKvWorkload w = new LinKvWorkload();

  @Test
  void concurrencyMustBeAMultipleOfTwiceTheNodeCount() {
    assertDoesNotThrow(() -> w.validate(TestSpec.builder().nodeCount(2).concurrency("2n").build()));
    assertDoesNotThrow(() -> w.validate(TestSpec.builder().nodeCount(5).concurrency("10n").build()));
    assertThrows(IllegalArgumentException.class, () -> w.validate(TestSpec.builder().nodeCount(2).concurrency("3n").build()));
    assertThrows(IllegalArgumentException.class, () -> w.validate(TestSpec.builder().nodeCount(2).concurrency("1n").build()));
  }

  @Test
  void timeoutIsTenTimesLatencyButAtLeastOneSecond() {
    assertEquals(1000, w.rpcTimeoutMillis(TestSpec.builder().latencyMs(0).build()));
    assertEquals(1000, w.rpcTimeoutMillis(TestSpec.builder().latencyMs(50).build()));
    assertEquals(2000, w.rpcTimeoutMillis(TestSpec.builder().latencyMs(200).build()));
  }

  @Test
  void groupsOfTwoNThreadsShareAKeyOnlyTheTestsFirstNThreadsReadAndKeysRetireAfterTwentyProcesses() {
    TestSpec spec = TestSpec.builder().nodeCount(2).concurrency("4n").build(); // 8 threads, 2 groups of 4
    Generator g = w.generator(spec);
    SplittableRandom rnd = new SplittableRandom(1);
    Map<Integer, Object> keyOfThread = new HashMap<>();
    Map<String, Integer> fs = new HashMap<>();
    for (int t = 0; t < 8; t++) {
      Op op = g.next(GenContext.of(spec, t, t, 0, rnd));
      keyOfThread.put(t, ((List<?>) op.value()).get(0));
      fs.merge(op.f(), 1, Integer::sum);
      // Jepsen 0.3.1's reserve counts threads from 0 of the whole test: group 1 (threads 4..7) never reads.
      if (t < 2) assertEquals("read", op.f(), "thread " + t);
      else assertTrue(op.f().equals("write") || op.f().equals("cas"), op.f());
    }
    assertEquals(keyOfThread.get(0), keyOfThread.get(3));
    assertTrue(!keyOfThread.get(0).equals(keyOfThread.get(4)));
    // Crash processes of group 0 until 20 distinct processes have used its key: the 21st gets a new key.
    Object first = keyOfThread.get(0);
    Set<Long> procs = new HashSet<>(List.of(0L, 1L, 2L, 3L));
    long p = 0;
    while (procs.size() < 20) {
      p += 8;
      procs.add(p);
      assertEquals(first, ((List<?>) g.next(GenContext.of(spec, 0, p, 0, rnd)).value()).get(0));
    }
    Object next = ((List<?>) g.next(GenContext.of(spec, 0, p + 8, 0, rnd)).value()).get(0);
    assertEquals(2L, next, "keys are handed out in order of need");
    // writes: values 0..4; cas: [a b]
    for (int i = 0; i < 200; i++) {
      Op op = g.next(GenContext.of(spec, 6, 6, 0, rnd));
      Object v = ((List<?>) op.value()).get(1);
      if (op.f().equals("write")) assertTrue((Long) v >= 0 && (Long) v <= 4);
      else assertEquals(2, ((List<?>) v).size());
    }
  }

  @Test
  void processLimitCountsEveryCurrentProcessOfTheGroupAsJepsensProcessLimitDoes() {
    // One group of 4 threads (n = 2). Only thread 0 asks; thread 1 crashes between asks. Jepsen's ProcessLimit
    // adds the group's current processes at every op: {0,1,2,3} plus one new process of thread 1 per crash,
    // so the 17th crash makes 21 > 20 and retires the key.
    TestSpec spec = TestSpec.builder().nodeCount(2).concurrency("2n").build();
    Generator g = w.generator(spec);
    SplittableRandom rnd = new SplittableRandom(3);
    Object first = key(g.next(GenContext.of(spec, 0, 0, 0, rnd)));
    long p1 = 1;
    for (int crash = 1; crash <= 16; crash++) {
      g.update(Op.invoke(p1, "write", Arrays.asList(first, 1L)).complete(OpType.INFO, null));
      p1 += 4;
      assertEquals(first, key(g.next(GenContext.of(spec, 0, 0, 0, rnd))), "after crash " + crash);
    }
    g.update(Op.invoke(p1, "write", Arrays.asList(first, 1L)).complete(OpType.INFO, null));
    assertEquals(1L, key(g.next(GenContext.of(spec, 0, 0, 0, rnd))), "the 17th crash retires key 0");
    // Processes that come and go between two asks are never seen: 30 crashes of thread 2, then one ask,
    // adds one process to the fresh key's 5 ({0,1+4·17,2,3} and the latest of thread 2).
    long p2 = 2;
    for (int crash = 0; crash < 30; crash++) {
      g.update(Op.invoke(p2, "write", Arrays.asList(1L, 1L)).complete(OpType.INFO, null));
      p2 += 4;
    }
    assertEquals(1L, key(g.next(GenContext.of(spec, 0, 0, 0, rnd))));
  }

  @Test
  void moreThanTenNodesIsRejectedBecauseProcessLimitWouldRetireEveryKeyUnused() {
    assertDoesNotThrow(() -> w.validate(TestSpec.builder().nodeCount(10).concurrency("2n").build()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.validate(TestSpec.builder().nodeCount(11).concurrency("2n").build()));
    assertTrue(e.getMessage().startsWith("lin-kv runs at most 10 nodes (got 11)"), e.getMessage());
  }

  private static Object key(Op op) {
    return ((List<?>) op.value()).get(0);
  }

  @Test
  void opMixIsMaelstromsTenPercentReadsAtConcurrencyTenN() {
    // Maelstrom 0.2.3 measured 9 % reads, 28 % writes, 62 % cas with -w lin-kv --node-count 5 --concurrency 10n.
    TestSpec spec = TestSpec.builder().nodeCount(5).concurrency("10n").build(); // 50 threads, 5 groups
    Generator g = w.generator(spec);
    SplittableRandom rnd = new SplittableRandom(7);
    Map<String, Integer> fs = new HashMap<>();
    Set<Integer> readers = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      int t = i % 50;
      Op op = g.next(GenContext.of(spec, t, t, 0, rnd));
      fs.merge(op.f(), 1, Integer::sum);
      if (op.f().equals("read")) readers.add(t);
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), readers);
    assertEquals(0.10, fs.get("read") / 50_000.0, 0.005);
    assertEquals(0.30, fs.get("write") / 50_000.0, 0.01);
    assertEquals(0.60, fs.get("cas") / 50_000.0, 0.01);
  }

  /** An RpcClient whose every call answers with {@code reply}, or throws it when it is an exception. */
  private static RpcClient answering(Object reply) {
    return new RpcClient() {
      @Override public String node() { return "n0"; }
      @Override public String id() { return "c1"; }
      @SuppressWarnings("unchecked")
      @Override public Map<String, Object> call(Map<String, Object> body, long timeoutMillis,
          glomers.harness.workload.ReplySchema schema) throws RpcTimeoutException, RpcErrorException {
        if (reply instanceof RpcTimeoutException e) throw e;
        if (reply instanceof RpcErrorException e) throw e;
        return (Map<String, Object>) reply;
      }
    };
  }

  private Op run(String f, Object value, Object reply) throws Exception {
    return w.newClient(TestSpec.builder().build()).invoke(Op.invoke(0, f, value), answering(reply));
  }

  @Test
  void clientMapsErrorsAsMaelstromsLinKvClientDoes() throws Exception {
    List<Object> read = Arrays.asList(1L, null);
    // A timeout is :info for every op, reads included (Maelstrom's lin-kv client does not use with-errors).
    Op t = run("read", read, new RpcTimeoutException("Client read timeout"));
    assertEquals(OpType.INFO, t.type());
    assertEquals("timed-out", t.error());
    // Known failure codes → :fail; any other code → :info, also for reads; :error is [code text].
    Op notFound = run("read", read, new RpcErrorException(20, "no key", Map.of("type", "error", "code", 20L)));
    assertEquals(OpType.FAIL, notFound.type());
    assertEquals(Arrays.asList(20L, "no key"), notFound.error());
    Op crashed = run("read", read, new RpcErrorException(13, "boom", Map.of("type", "error", "code", 13L)));
    assertEquals(OpType.INFO, crashed.type());
    Op casAbort = run("cas", Arrays.asList(1L, Arrays.asList(0L, 1L)),
        new RpcErrorException(14, "abort", Map.of("type", "error", "code", 14L)));
    assertEquals(OpType.INFO, casAbort.type());
    // No reply schema: extra fields and another type are still ok, as in Maelstrom.
    Op ok = run("read", read, Map.of("type", "read_ok", "value", 3L, "extra", true));
    assertEquals(OpType.OK, ok.type());
    assertEquals(Arrays.asList(1L, 3L), ok.value());
    assertEquals(OpType.OK, run("write", Arrays.asList(1L, 2L), Map.of("type", "whatever")).type());
  }
}
