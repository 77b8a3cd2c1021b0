package glomers.harness.workload.txn;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.check.Validity;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.Errors;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared shape of Maelstrom's two transactional workloads: a single {@code txn} RPC, Elle's generator, no
 * final phase, reusable clients, {@code with-errors} with no idempotent functions (so a timeout is
 * {@code :info} and error 30 is a definite {@code :fail}).
 *
 * <p>Under the harness's opt-in {@code --strict} flag (never by default, so verdicts stay Maelstrom's) a
 * final phase is added: after the heal and the 10 s of quiet, every worker reads every key the generator
 * ever touched in one transaction, and the {@code convergence} analysis requires all final reads of a key
 * to agree across nodes — the "replicate for real" requirement Maelstrom itself never checks.
 */
abstract class TxnWorkload implements Workload {
  private final String writeF;
  private TxnGenerator generator;

  TxnWorkload(String writeF) {
    this.writeF = writeF;
  }

  @Override
  public boolean reusableClient() {
    return true;
  }

  /** The closed reply schema: {@code txn} is a list of [f k v] with f ∈ {r, writeF}. */
  ReplySchema schema() {
    Set<String> fs = Set.of("r", writeF);
    return ReplySchema.of("txn_ok", Map.of("txn", ReplySchema.Type.of("[(either ReadRes Write)]", v -> {
      if (!(v instanceof List<?> l)) return false;
      for (Object o : l) {
        if (!(o instanceof List<?> m) || m.size() != 3 || !fs.contains(m.get(0))) return false;
      }
      return true;
    })));
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    ReplySchema schema = schema();
    return (invocation, rpc) -> {
      try {
        Map<String, Object> reply = rpc.call(RpcClient.body("txn", "txn", invocation.value()), timeout, schema);
        return invocation.complete(OpType.OK, reply.get("txn"));
      } catch (glomers.harness.workload.RpcErrorException | glomers.harness.workload.RpcTimeoutException e) {
        return Errors.complete(invocation, e, Set.of());
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    generator = new TxnGenerator(writeF, test.keyCount() == null ? 10 : test.keyCount(), test.maxTxnLength(),
        test.maxWritesPerKey());
    return generator;
  }

  @Override
  public Generator finalGenerator(TestSpec test) {
    if (!test.strict()) return null;
    Set<Integer> done = new HashSet<>();
    return new Generator() {
      @Override
      public Op next(GenContext ctx) {
        if (!done.add(ctx.thread())) return null;
        long max = generator == null ? 9 : generator.maxKey();
        List<Object> txn = new ArrayList<>();
        for (long k = 0; k <= max; k++) txn.add(Arrays.asList("r", k, null));
        return Op.invoke(ctx.process(), "txn", txn).withFinal(true);
      }
    };
  }

  /** The Elle checker for this workload. */
  abstract Checker elleChecker();

  @Override
  public Checker checker(TestSpec test) {
    Checker elle = elleChecker();
    if (!test.strict()) return elle;
    return (ctx, h) -> withGarbageReads(withConvergence(elle.check(ctx, h), ctx, h), h);
  }

  /**
   * Strict-only {@code garbage-reads} analysis: an ok read returning a value (register) or an element (list)
   * that no transaction ever tried to write. Elle 0.1.6 infers no dependency from such a read and so never
   * flags it — a blind spot Maelstrom shares, which is why this lives behind {@code --strict}.
   */
  static Map<String, Object> withGarbageReads(Map<String, Object> res, History h) {
    Set<List<Object>> written = new HashSet<>();
    for (Op op : h.clientOps()) {
      if (!op.isInvoke() || !"txn".equals(op.f())) continue;
      for (Mop m : Mop.parse(op.value())) if (m.isWrite()) written.add(Arrays.asList(m.key(), m.value()));
    }
    List<Object> garbage = new ArrayList<>();
    for (Op op : h.clientCompletions()) {
      if (!op.isOk() || !"txn".equals(op.f())) continue;
      for (Mop m : Mop.parse(op.value())) {
        if (!m.isRead() || m.value() == null) continue;
        List<?> vals = m.value() instanceof List<?> l ? l : List.of(m.value());
        for (Object v : vals) {
          if (!written.contains(Arrays.asList(m.key(), v))) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("op", op.toMap());
            g.put("mop", m.toList());
            g.put("value", v);
            garbage.add(g);
            break;
          }
        }
      }
    }
    Map<String, Object> gr = new LinkedHashMap<>();
    gr.put("valid?", garbage.isEmpty());
    gr.put("count", garbage.size());
    gr.put("examples", garbage.size() > 10 ? garbage.subList(0, 10) : garbage);
    Map<String, Object> out = new LinkedHashMap<>(res);
    out.put("garbage-reads", gr);
    out.put("valid?", Validity.fromJson(res.get("valid?")).merge(Validity.of(garbage.isEmpty())).json());
    return out;
  }

  /**
   * Adds the {@code convergence} analysis: final reads (ok, {@code final?}) of each key must all return the
   * same value, and there must be at least one final read per node.
   */
  static Map<String, Object> withConvergence(Map<String, Object> res, CheckContext ctx, History h) {
    Map<Object, Map<String, Object>> seen = new LinkedHashMap<>();
    List<Object> divergent = new ArrayList<>();
    Set<Long> readers = new HashSet<>();
    for (Op op : h.clientCompletions()) {
      if (!op.isFinal() || !op.isOk() || !"txn".equals(op.f())) continue;
      readers.add(op.process());
      for (Mop m : Mop.parse(op.value())) {
        if (!m.isRead()) continue;
        Map<String, Object> first = seen.get(m.key());
        if (first == null) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("value", m.value());
          f.put("process", op.process());
          seen.put(m.key(), f);
        } else if (!java.util.Objects.equals(first.get("value"), m.value())) {
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("key", m.key());
          d.put("values", Arrays.asList(first.get("value"), m.value()));
          d.put("processes", List.of(first.get("process"), op.process()));
          divergent.add(d);
        }
      }
    }
    Map<String, Object> conv = new LinkedHashMap<>();
    boolean ok = divergent.isEmpty() && !readers.isEmpty();
    conv.put("valid?", ok);
    conv.put("final-readers", readers.size());
    conv.put("divergent-count", divergent.size());
    conv.put("divergent", divergent.size() > 20 ? divergent.subList(0, 20) : divergent);
    Map<String, Object> out = new LinkedHashMap<>(res);
    out.put("convergence", conv);
    Validity v = Validity.fromJson(res.get("valid?")).merge(Validity.of(ok));
    out.put("valid?", v.json());
    return out;
  }
}
