package glomers.harness.workload.broadcast;

import glomers.harness.check.Checker;
import glomers.harness.check.SetFullChecker;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.Errors;
import glomers.harness.workload.Generator;
import glomers.harness.workload.Generators;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcFailure;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maelstrom's {@code broadcast} workload (docs/maelstrom.md#workloads, challenges 3a–3e).
 *
 * <ul>
 *   <li>Setup: each node's setup client sends {@code {"type":"topology","topology":{…}}} with the whole map
 *       of {@code --topology} ({@link Topologies}); no {@code topology_ok} within 5 s aborts the test.
 *   <li>Client ({@code with-errors}, idempotent {@code read}): {@code broadcast} → {@code broadcast_ok}
 *       (no other fields); {@code read} → {@code read_ok} with exactly {@code messages} (an array). Clients
 *       are replaced after an {@code :info}.
 *   <li>Generator: mix of broadcasts of 0, 1, 2, … (one global sequence) and reads. Final phase (after
 *       heal + 10 s): one {@code {:f :read, :final? true}} per worker on its existing client.
 *   <li>Checker: {@link SetFullChecker} with {@code broadcast} as the add function.
 * </ul>
 */
public final class BroadcastWorkload implements Workload {
  static final ReplySchema TOPOLOGY_OK = ReplySchema.of("topology_ok");
  static final ReplySchema BROADCAST_OK = ReplySchema.of("broadcast_ok");
  /** Maelstrom's schema is {@code [s/Any]}: any array. */
  static final ReplySchema READ_OK = ReplySchema.of("read_ok", Map.of("messages", ReplySchema.Type.LIST));
  static final Set<String> IDEMPOTENT = Set.of("read");

  @Override
  public String name() {
    return "broadcast";
  }

  @Override
  public void validate(TestSpec test) {
    Topologies.build(test.topology(), test.nodeIds()); // unknown --topology → bad arguments
  }

  @Override
  public boolean reusableClient() {
    return false;
  }

  @Override
  public void setup(TestSpec test, String node, RpcClient setupClient) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "topology");
    body.put("topology", Topologies.build(test.topology(), test.nodeIds()));
    setupClient.call(body, rpcTimeoutMillis(test), TOPOLOGY_OK);
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    return (invocation, rpc) -> invoke(invocation, rpc, timeout);
  }

  static Op invoke(Op invocation, RpcClient rpc, long timeout) throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    try {
      switch (invocation.f()) {
        case "broadcast" -> {
          body.put("type", "broadcast");
          body.put("message", invocation.value());
          rpc.call(body, timeout, BROADCAST_OK);
          return invocation.complete(OpType.OK, invocation.value());
        }
        case "read" -> {
          body.put("type", "read");
          Object messages = rpc.call(body, timeout, READ_OK).get("messages");
          return invocation.complete(OpType.OK, messages);
        }
        default -> throw new IllegalArgumentException("unknown broadcast op " + invocation.f());
      }
    } catch (RpcFailure e) {
      return Errors.complete(invocation, e, IDEMPOTENT);
    }
  }

  @Override
  public Generator generator(TestSpec test) {
    long[] next = {0};
    return Generators.mix(
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "broadcast", next[0]++)),
        Generators.repeat(ctx -> Op.invoke(ctx.process(), "read", null)));
  }

  @Override
  public Generator finalGenerator(TestSpec test) {
    return Generators.eachThread(ctx -> Op.invoke(ctx.process(), "read", null).withFinal(true));
  }

  @Override
  public Checker checker(TestSpec test) {
    return new SetFullChecker("broadcast");
  }

  /** For reports: the topology this test sends. */
  public static Map<String, List<String>> topology(TestSpec test) {
    return Topologies.build(test.topology(), test.nodeIds());
  }
}
