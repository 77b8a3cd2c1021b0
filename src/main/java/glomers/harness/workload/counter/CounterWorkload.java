package glomers.harness.workload.counter;

import glomers.harness.check.Checker;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.Generators;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.Map;

/**
 * Maelstrom's {@code pn-counter} workload and, with negative adds filtered out, {@code g-counter}
 * (maelstrom.workload.pn-counter / g-counter, docs/maelstrom.md#workloads).
 *
 * <ul>
 *   <li>Client: {@code add} sends {@code {"type":"add","delta":d}} and expects exactly {@code add_ok};
 *       {@code read} expects {@code {"type":"read_ok","value":<int>}}. There is no error handling: every
 *       error reply, timeout or malformed reply escapes {@link WorkloadClient#invoke}, which the scheduler
 *       records as {@code :info} with an exception — even definite error codes, as in Maelstrom. Clients
 *       are not reusable (a fresh one after an {@code :info}).
 *   <li>Generator: Jepsen {@code gen/mix} of {@code {:f :add, :value (- (rand-int 10) 5)}} (d ∈ [−5, 4])
 *       and {@code {:f :read}}. g-counter wraps it in {@code gen/filter} dropping negative adds; the
 *       filter asks the mix again, so adds are ≈ 1/3 of ops with d ∈ [0, 4].
 *   <li>Final phase: one {@code {:f :read, :final? true}} per worker thread.
 *   <li>Checker: {@link CounterChecker}.
 * </ul>
 */
public class CounterWorkload implements Workload {
  static final ReplySchema ADD_OK = ReplySchema.of("add_ok");
  static final ReplySchema READ_OK = ReplySchema.of("read_ok", Map.of("value", ReplySchema.Type.INTEGER));

  private final String name;
  private final boolean growOnly;

  protected CounterWorkload(String name, boolean growOnly) {
    this.name = name;
    this.growOnly = growOnly;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean reusableClient() {
    return false;
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    return (invocation, rpc) -> {
      switch (invocation.f()) {
        case "add" -> {
          rpc.call(RpcClient.body("add", "delta", invocation.value()), timeout, ADD_OK);
          return invocation.complete(OpType.OK, invocation.value());
        }
        case "read" -> {
          Map<String, Object> reply = rpc.call(RpcClient.body("read"), timeout, READ_OK);
          return invocation.complete(OpType.OK, ((Number) reply.get("value")).longValue());
        }
        default -> throw new IllegalArgumentException("unknown counter op " + invocation.f());
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    Generator mix =
        Generators.mix(
            Generators.repeat(ctx -> Op.invoke(ctx.process(), "add", (long) ctx.random().nextInt(10) - 5)),
            Generators.repeat(ctx -> Op.invoke(ctx.process(), "read", null)));
    if (!growOnly) return mix;
    return new Generator() {
      @Override
      public Op next(GenContext ctx) {
        while (true) {
          Op op = mix.next(ctx);
          if (op == null || op == PENDING) return op;
          if ("add".equals(op.f()) && ((Long) op.value()) < 0) continue; // gen/filter: ask again
          return op;
        }
      }

      @Override
      public void update(Op completion) {
        mix.update(completion);
      }
    };
  }

  @Override
  public Generator finalGenerator(TestSpec test) {
    return Generators.eachThread(ctx -> Op.invoke(ctx.process(), "read", null).withFinal(true));
  }

  @Override
  public Checker checker(TestSpec test) {
    return new CounterChecker();
  }
}
