package glomers.harness.workload.gset;

import glomers.harness.check.Checker;
import glomers.harness.check.SetFullChecker;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.Generator;
import glomers.harness.workload.Generators;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.Map;

/**
 * Maelstrom's {@code g-set} workload (maelstrom.workload.g-set, docs/maelstrom.md#workloads).
 *
 * <ul>
 *   <li>Client: {@code add} sends {@code {"type":"add","element":x}} → {@code add_ok}; {@code read} →
 *       {@code {"type":"read_ok","value":[…]}} (the schema's field is {@code value}, whatever the docstring
 *       says). No error handling: every error, timeout or malformed reply escapes as an exception and
 *       becomes {@code :info}. Clients are replaced after an {@code :info}.
 *   <li>Generator: {@code gen/mix} of adds of 0, 1, 2, … (one global sequence, so elements are unique)
 *       and reads.
 *   <li>Final phase: one {@code {:f :read}} per worker — without {@code :final?}, exactly as
 *       {@code (gen/each-thread {:f :read})} in the v0.2.3 source.
 *   <li>Checker: Jepsen's {@code set-full} ({@link SetFullChecker} with add function {@code "add"}).
 * </ul>
 */
public final class GSetWorkload implements Workload {
  static final ReplySchema ADD_OK = ReplySchema.of("add_ok");
  static final ReplySchema READ_OK = ReplySchema.of("read_ok", Map.of("value", ReplySchema.Type.LIST));

  @Override
  public String name() {
    return "g-set";
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
          rpc.call(RpcClient.body("add", "element", invocation.value()), timeout, ADD_OK);
          return invocation.complete(OpType.OK, invocation.value());
        }
        case "read" -> {
          return invocation.complete(OpType.OK, rpc.call(RpcClient.body("read"), timeout, READ_OK).get("value"));
        }
        default -> throw new IllegalArgumentException("unknown g-set op " + invocation.f());
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    long[] next = {0};
    return Generators.mix(
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "add", next[0]++)),
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "read", null)));
  }

  @Override
  public Generator finalGenerator(TestSpec test) {
    return Generators.eachThread(ctx -> Op.invoke(ctx.process(), "read", null));
  }

  @Override
  public Checker checker(TestSpec test) {
    return new SetFullChecker("add");
  }
}
