package glomers.harness.workload.echo;

import glomers.harness.check.Checker;
import glomers.harness.history.History;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maelstrom's {@code echo} workload (docs/maelstrom.md#workloads): {@code {"type":"echo","echo":"Please echo
 * <0..127>"}} → {@code echo_ok} with the same {@code echo}. The ok completion's value is the whole reply body, as in
 * Maelstrom. Non-reusable client; no final phase.
 *
 * <p>Checker: every invoke paired with an ok/fail completion must have {@code completion.value.echo ==
 * invocation.value}; a fail completion is therefore an error. {@code :info} completions (timeouts,
 * malformed replies) are not checked — observed on real Maelstrom v0.2.3 (Knossos' pairing leaves them
 * unpaired); only {@code :stats} catches a node that never answers validly.
 */
public final class EchoWorkload implements Workload {
  static final ReplySchema ECHO_OK = ReplySchema.of("echo_ok", Map.of("echo", ReplySchema.Type.ANY));

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public boolean reusableClient() {
    return false;
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    return (op, rpc) -> {
      try {
        return op.complete(OpType.OK, rpc.call(RpcClient.body("echo", "echo", op.value()), timeout, ECHO_OK));
      } catch (RpcFailure e) {
        return Errors.complete(op, e, Set.of());
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    return Generators.repeat(ctx -> Op.invoke(ctx.process(), "echo", "Please echo " + ctx.random().nextInt(128)));
  }

  @Override
  public Checker checker(TestSpec test) {
    return EchoWorkload::check;
  }

  static Map<String, Object> check(glomers.harness.check.CheckContext ctx, History h) {
    List<Object> errors = new ArrayList<>();
    for (Op inv : h.ops()) {
      if (!inv.isClient() || !inv.isInvoke()) continue;
      Op c = h.pairOf(inv);
      if (c == null || c.isInfo()) continue;
      Object echoed = c.value() instanceof Map<?, ?> m ? m.get("echo") : null;
      if (!java.util.Objects.equals(inv.value(), echoed)) {
        errors.add(Arrays.asList("Expected a message with :echo", inv.value(), "But received", c.value()));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", errors.isEmpty());
    m.put("errors", errors);
    return m;
  }
}
