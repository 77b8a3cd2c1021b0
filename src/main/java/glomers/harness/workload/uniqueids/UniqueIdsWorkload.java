package glomers.harness.workload.uniqueids;

import glomers.harness.check.CheckContext;
import glomers.harness.check.Checker;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.Errors;
import glomers.harness.workload.Generator;
import glomers.harness.workload.Generators;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcFailure;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.Workload;
import glomers.harness.workload.WorkloadClient;
import glomers.protocol.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maelstrom's {@code unique-ids} workload: infinite {@code generate} ops; {@code generate_ok} carries an
 * {@code id} of any JSON type. Reusable client. Checker = Jepsen's {@code unique-ids}: valid iff no
 * acknowledged id occurs twice (structural equality, {@code 1 ≠ 1.0}). Its {@code range} uses Clojure's
 * generic {@code compare}: mixed id types (or maps) make the checker throw → {@code :unknown}, as in
 * Maelstrom.
 */
public final class UniqueIdsWorkload implements Workload {
  static final ReplySchema GENERATE_OK = ReplySchema.of("generate_ok", Map.of("id", ReplySchema.Type.ANY));

  @Override
  public String name() {
    return "unique-ids";
  }

  @Override
  public boolean reusableClient() {
    return true;
  }

  @Override
  public WorkloadClient newClient(TestSpec test) {
    long timeout = rpcTimeoutMillis(test);
    return (op, rpc) -> {
      try {
        Map<String, Object> r = rpc.call(Map.of("type", "generate"), timeout, GENERATE_OK);
        return op.complete(OpType.OK, r.get("id"));
      } catch (RpcFailure e) {
        return Errors.complete(op, e, Set.of());
      }
    };
  }

  @Override
  public Generator generator(TestSpec test) {
    return Generators.repeat(ctx -> Op.invoke(ctx.process(), "generate", null));
  }

  @Override
  public Checker checker(TestSpec test) {
    return UniqueIdsWorkload::check;
  }

  static Map<String, Object> check(CheckContext ctx, History h) {
    long attempted = 0;
    List<Object> acks = new ArrayList<>();
    for (Op o : h.ops()) {
      if (!o.isClient() || !"generate".equals(o.f())) continue;
      if (o.isInvoke()) attempted++;
      else if (o.isOk()) acks.add(o.value());
    }
    Map<Object, Long> freq = new LinkedHashMap<>();
    for (Object v : acks) freq.merge(v, 1L, Long::sum);
    List<Map.Entry<Object, Long>> dups = new ArrayList<>();
    for (Map.Entry<Object, Long> e : freq.entrySet()) if (e.getValue() > 1) dups.add(e);
    dups.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    // Jepsen: the 48 most duplicated, shown as a sorted map (by id)
    List<Map.Entry<Object, Long>> shown = new ArrayList<>(dups.subList(0, Math.min(48, dups.size())));
    try {
      shown.sort((a, b) -> compare(a.getKey(), b.getKey()));
    } catch (ClassCastException mixed) {
      // mixed id types: the range below throws anyway (→ unknown, as in Maelstrom)
    }
    Map<String, Object> dupMap = new LinkedHashMap<>();
    for (Map.Entry<Object, Long> e : shown) {
      dupMap.put(e.getKey() instanceof String s ? s : Json.write(e.getKey()), e.getValue());
    }
    Object lo = null, hi = null;
    boolean first = true;
    for (Object v : acks) {
      if (first) {
        lo = v;
        hi = v;
        first = false;
      } else {
        if (compare(v, lo) < 0) lo = v;
        if (compare(v, hi) > 0) hi = v;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid?", dups.isEmpty());
    m.put("attempted-count", attempted);
    m.put("acknowledged-count", (long) acks.size());
    m.put("duplicated-count", (long) dups.size());
    m.put("duplicated", dupMap);
    m.put("range", first ? Arrays.asList(null, null) : Arrays.asList(lo, hi));
    return m;
  }

  /** Clojure's {@code compare} on JSON values; throws ClassCastException where Clojure would. */
  @SuppressWarnings("unchecked")
  static int compare(Object a, Object b) {
    if (a == null) return b == null ? 0 : -1;
    if (b == null) return 1;
    if (a instanceof Number x && b instanceof Number y) return toBig(x).compareTo(toBig(y));
    if (a instanceof String x && b instanceof String y) return x.compareTo(y);
    if (a instanceof Boolean x && b instanceof Boolean y) return x.compareTo(y);
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return Integer.compare(x.size(), y.size());
      for (int i = 0; i < x.size(); i++) {
        int c = compare(x.get(i), y.get(i));
        if (c != 0) return c;
      }
      return 0;
    }
    throw new ClassCastException("cannot compare " + Json.write(a) + " with " + Json.write(b));
  }

  private static BigDecimal toBig(Number n) {
    if (n instanceof BigInteger b) return new BigDecimal(b);
    if (n instanceof Double || n instanceof Float) return BigDecimal.valueOf(n.doubleValue());
    return BigDecimal.valueOf(n.longValue());
  }
}
