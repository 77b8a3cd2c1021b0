package glomers.harness.workload.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.MalformedReplyException;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.WorkloadClient;
import glomers.harness.workload.Workloads;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CounterWorkloadTest {
  private final TestSpec spec = TestSpec.builder().nodeCount(3).seed(5).build();

  private static Map<String, Integer> mixOf(Generator g, TestSpec spec, long lo, long hi) {
    SplittableRandom r = new SplittableRandom(3);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      Op op = g.next(GenContext.of(spec, i % 3, i % 3, 0, r));
      counts.merge(op.f(), 1, Integer::sum);
      if (op.f().equals("add")) {
        long d = (Long) op.value();
        assertTrue(d >= lo && d <= hi, "delta " + d);
        counts.merge("d" + d, 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void gCounterGeneratorFiltersNegativeAddsAndRedraws() {
    Map<String, Integer> c = mixOf(Workloads.get("g-counter").generator(spec), spec, 0, 4);
    double adds = c.get("add") / 30_000.0;
    assertEquals(1 / 3.0, adds, 0.02, "≈ 1/3 adds after filtering");
    for (int d = 0; d <= 4; d++) assertTrue(c.getOrDefault("d" + d, 0) > 1000, "delta " + d + " occurs");
  }

  @Test
  void pnCounterGeneratorAddsBothSigns() {
    Map<String, Integer> c = mixOf(Workloads.get("pn-counter").generator(spec), spec, -5, 4);
    assertEquals(0.5, c.get("add") / 30_000.0, 0.02);
    assertTrue(c.getOrDefault("d-5", 0) > 500);
    assertTrue(c.getOrDefault("d4", 0) > 500);
  }

  @Test
  void finalPhaseIsOneFinalReadPerWorker() {
    TestSpec s = TestSpec.builder().nodeCount(3).concurrency("2n").seed(1).build();
    Generator g = Workloads.get("g-counter").finalGenerator(s);
    SplittableRandom r = new SplittableRandom(1);
    for (int t = 0; t < 6; t++) {
      Op op = g.next(GenContext.of(s, t, t, 0, r));
      assertEquals("read", op.f());
      assertTrue(op.isFinal());
    }
    for (int t = 0; t < 6; t++) assertEquals(null, g.next(GenContext.of(s, t, t, 0, r)));
  }

  /** A fake connection answering with a canned reply, checking the schema like the real one. */
  private static RpcClient answering(Map<String, Object> reply, Map<String, Object>[] sent) {
    return new RpcClient() {
      @Override public String node() { return "n0"; }
      @Override public String id() { return "c9"; }
      @Override
      public Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
          throws MalformedReplyException {
        sent[0] = body;
        Map<String, Object> r = new HashMap<>(reply);
        r.put("in_reply_to", 1L);
        String v = schema.violations(r);
        if (v != null) throw new MalformedReplyException(v, r);
        return r;
      }
    };
  }

  @Test
  @SuppressWarnings("unchecked")
  void clientSpeaksTheProtocolAndRejectsMalformedReplies() throws Exception {
    WorkloadClient client = Workloads.get("pn-counter").newClient(spec);
    Map<String, Object>[] sent = new Map[1];
    Op add = client.invoke(Op.invoke(0, "add", -3L), answering(Map.of("type", "add_ok"), sent));
    assertEquals(OpType.OK, add.type());
    assertEquals(Map.of("type", "add", "delta", -3L), sent[0]);
    Op read = client.invoke(Op.invoke(0, "read", null).withFinal(true), answering(Map.of("type", "read_ok", "value", 7L), sent));
    assertEquals(OpType.OK, read.type());
    assertEquals(7L, read.value());
    assertTrue(read.isFinal());
    assertThrows(MalformedReplyException.class,
        () -> client.invoke(Op.invoke(0, "read", null), answering(Map.of("type", "read_ok", "value", 7.0), sent)));
    assertThrows(MalformedReplyException.class,
        () -> client.invoke(Op.invoke(0, "add", 1L), answering(Map.of("type", "add_ok", "extra", 1L), sent)));
  }
}
