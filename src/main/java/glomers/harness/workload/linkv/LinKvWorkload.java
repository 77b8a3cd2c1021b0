package glomers.harness.workload.linkv;

import glomers.harness.check.Checker;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maelstrom's {@code lin-kv} workload (<a
 * href="https://github.com/jepsen-io/maelstrom/blob/v0.2.3/src/maelstrom/workload/lin_kv.clj">maelstrom.workload.lin-kv</a>
 * over Jepsen 0.3.1's <a
 * href="https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/tests/linearizable_register.clj">jepsen.tests.linearizable-register</a>;
 * docs/maelstrom.md).
 *
 * <ul>
 *   <li>Client: {@code read}/{@code write}/{@code cas} on one key, op values are {@code [k v]} tuples
 *       ({@code [k [from to]]} for cas). Maelstrom's lin-kv client does not use {@code with-errors} and
 *       checks no reply schema: an error reply whose code is one of 1, 10, 11, 20, 21, 22 is {@code :fail},
 *       any other code {@code :info}, both with {@code :error [code text]}; a timeout is {@code :info} with
 *       {@code :error :timed-out} for every op, reads included. Any other reply counts as ok ({@code read}
 *       takes its {@code value}, absent → null). The client is reusable: it survives {@code :info}.
 *   <li>RPC timeout {@code max(10 × latency, 1000)} ms.
 *   <li>Generator ({@code independent/concurrent-generator (* 2 n) (range) …}): workers are split into
 *       groups of 2n consecutive threads; each group works on one key at a time, keys 0, 1, 2 … handed
 *       out in order of need. Each key's generator is {@code (gen/reserve n r (gen/mix [w cas cas]))}, meant
 *       as "the group's first n threads read, the others write (1/3) or cas (2/3)", values uniform in
 *       0..4. But Jepsen 0.3.1's {@code reserve} numbers its ranges from thread 0 of the whole test (its
 *       source says so in a TODO), while {@code concurrent-generator} hands it a context restricted to the
 *       group's threads: so only threads 0..n-1 of the whole test ever read, and every thread of every
 *       other group writes or CASes. Maelstrom 0.2.3 runs exactly this (its lin-kv runs read only from
 *       processes 0..n-1, ≈ 10 % reads at {@code --concurrency 10n}), and its availability figures follow
 *       from it, so the quirk is reproduced. {@code gen/process-limit 20} wraps each key's generator and
 *       sees the group's restricted context: at every op it adds the <em>current</em> processes of all 2n
 *       threads of the group (busy or free, asking or not) to the key's set, and once that set exceeds 20
 *       the key is retired and the group moves to a fresh key. With ≤ 10 nodes that only happens through
 *       {@code :info} crashes, which renumber processes; a thread that crashes twice between two asks of its
 *       group adds only its latest process.
 *   <li>At most 10 nodes: with 2n > 20 processes per group, {@code process-limit} retires every key before
 *       its first op, so Maelstrom 0.2.3 would never issue one; the test is rejected instead.
 *   <li>Concurrency must be a positive multiple of 2n, else the test aborts (exit 255), as observed.
 *   <li>Checker: {@link LinKvChecker}.
 * </ul>
 */
public final class LinKvWorkload implements Workload {
  /** Error codes Maelstrom's lin-kv client records as {@code :fail}; every other code is {@code :info}. */
  static final Set<Long> KNOWN_FAILURE_CODES = Set.of(1L, 10L, 11L, 20L, 21L, 22L);
  /** jepsen.tests.linearizable-register's default {@code :process-limit}. */
  static final int PROCESS_LIMIT = 20;

  @Override
  public String name() {
    return "lin-kv";
  }

  @Override
  public void validate(TestSpec test) {
    if (2 * test.nodeCount() > PROCESS_LIMIT) {
      // https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/generator.clj ProcessLimit: the first
      // op of every key already sees 2n > 20 processes, so each key is retired unused and no op is ever issued.
      throw new IllegalArgumentException("lin-kv runs at most " + PROCESS_LIMIT / 2 + " nodes (got "
          + test.nodeCount() + "): Jepsen 0.3.1's lin-kv generator gives each key 2 × node count = "
          + 2 * test.nodeCount() + " worker processes but retires a key once more than " + PROCESS_LIMIT
          + " processes share it, so every key would be retired before its first operation");
    }
    int group = 2 * test.nodeCount();
    if (test.concurrency() <= 0 || test.concurrency() % group != 0) {
      throw new IllegalArgumentException(
          "Generator threw java.lang.AssertionError - Assert failed: This jepsen.independent/concurrent-generator has "
              + test.concurrency() + " threads to work with, but can only use " + (test.concurrency() / group) * group
              + " of those threads to run " + (test.concurrency() / group) + " concurrent keys with " + group
              + " threads apiece (--concurrency must be a positive multiple of 2 × node count = " + group + ")");
    }
  }

  @Override
  public boolean reusableClient() {
    return true;
  }

  @Override
  public long rpcTimeoutMillis(TestSpec test) {
    return (long) Math.max(10 * test.latencyMs(), 1000);
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    return (invocation, rpc) -> {
      List<?> kv = (List<?>) invocation.value();
      Object k = kv.get(0);
      Object v = kv.get(1);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", invocation.f());
      body.put("key", k);
      try {
        switch (invocation.f()) {
          case "read" -> {
            Map<String, Object> reply = rpc.call(body, timeout, null);
            return invocation.complete(OpType.OK, Arrays.asList(k, reply.get("value")));
          }
          case "write" -> {
            body.put("value", v);
            rpc.call(body, timeout, null);
            return invocation.complete(OpType.OK, invocation.value());
          }
          case "cas" -> {
            List<?> ab = (List<?>) v;
            body.put("from", ab.get(0));
            body.put("to", ab.get(1));
            rpc.call(body, timeout, null);
            return invocation.complete(OpType.OK, invocation.value());
          }
          default -> throw new IllegalArgumentException("unknown lin-kv op " + invocation.f());
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (RpcErrorException e) {
        OpType t = KNOWN_FAILURE_CODES.contains(e.code()) ? OpType.FAIL : OpType.INFO;
        return invocation.complete(t, invocation.value()).withError(Arrays.asList(e.code(), e.text()));
      } catch (RpcTimeoutException e) {
        return invocation.complete(OpType.INFO, invocation.value()).withError("timed-out");
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    return new KeyGroupGenerator(test.nodeCount(), test.concurrency());
  }

  @Override
  public Checker checker(TestSpec test) {
    return new LinKvChecker();
  }

  /** The independent concurrent generator described in the class comment. */
  static final class KeyGroupGenerator implements Generator {
    private final int n;
    private final int concurrency;
    private long nextKey;
    private final Map<Integer, Long> keyOfGroup = new HashMap<>();
    private final Map<Integer, Set<Long>> processesOfGroup = new HashMap<>();
    /** Current process of every worker thread: thread t starts as t and gains concurrency per {@code :info}. */
    private final long[] processOfThread;

    KeyGroupGenerator(int nodeCount, int concurrency) {
      this.n = nodeCount;
      this.concurrency = concurrency;
      this.processOfThread = new long[concurrency];
      for (int t = 0; t < concurrency; t++) processOfThread[t] = t;
    }

    @Override
    public Op next(GenContext ctx) {
      processOfThread[ctx.thread()] = ctx.process();
      int group = ctx.thread() / (2 * n);
      Long key = keyOfGroup.get(group);
      Set<Long> procs = processesOfGroup.computeIfAbsent(group, g -> new HashSet<>());
      if (key == null || !withinProcessLimit(procs, group)) {
        key = nextKey++;
        keyOfGroup.put(group, key);
        procs.clear();
        withinProcessLimit(procs, group);
      }
      if (ctx.thread() < n) return Op.invoke(ctx.process(), "read", Arrays.asList(key, null));
      if (ctx.random().nextInt(3) == 0) return Op.invoke(ctx.process(), "write", Arrays.asList(key, (long) ctx.random().nextInt(5)));
      return Op.invoke(ctx.process(), "cas",
          Arrays.asList(key, Arrays.asList((long) ctx.random().nextInt(5), (long) ctx.random().nextInt(5))));
    }

    /**
     * Jepsen 0.3.1's {@code ProcessLimit} (https://github.com/jepsen-io/jepsen/blob/v0.3.1/jepsen/src/jepsen/generator.clj):
     * {@code (into procs (all-processes ctx))}, where the context is the group's, so every thread of the group
     * counts with its current process, not just the one asking.
     */
    private boolean withinProcessLimit(Set<Long> procs, int group) {
      for (int t = group * 2 * n; t < (group + 1) * 2 * n && t < concurrency; t++) procs.add(processOfThread[t]);
      return procs.size() <= PROCESS_LIMIT;
    }

    @Override
    public void update(Op completion) {
      // The scheduler gives a crashed (:info) process's thread the process p + concurrency.
      if (completion.isInfo() && completion.process() >= 0) {
        int t = (int) (completion.process() % concurrency);
        processOfThread[t] = Math.max(processOfThread[t], completion.process() + concurrency);
      }
    }
  }
}
