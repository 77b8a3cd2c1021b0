package glomers.harness.workload.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.MalformedReplyException;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client state machine and the generators, against a scripted fake node. */
class KafkaClientTest {
  /** A fake connection: answers each request with {@code responder}, validating the reply schema. */
  static final class FakeRpc implements RpcClient {
    final List<Map<String, Object>> requests = new ArrayList<>();
    final Function<Map<String, Object>, Map<String, Object>> responder;

    FakeRpc(Function<Map<String, Object>, Map<String, Object>> responder) {
      this.responder = responder;
    }

    @Override public String node() { return "n0"; }
    @Override public String id() { return "c9"; }

    @Override
    public Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
        throws RpcTimeoutException, MalformedReplyException {
      requests.add(body);
      Map<String, Object> r = responder.apply(body);
      if (r == null) throw new RpcTimeoutException("timeout");
      Map<String, Object> reply = new LinkedHashMap<>(r);
      reply.put("in_reply_to", 1L);
      String v = schema.violations(reply);
      if (v != null) throw new MalformedReplyException(v, reply);
      return reply;
    }
  }

  static Map<String, Object> m(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], kv[i + 1]);
    return out;
  }

  @Test
  void assignUsesLocalThenCommittedThenZero() throws Exception {
    KafkaClient c = new KafkaClient(5000);
    FakeRpc rpc = new FakeRpc(b -> switch ((String) b.get("type")) {
      case "list_committed_offsets" -> m("type", "list_committed_offsets_ok", "offsets", m("1", 4L));
      case "poll" -> m("type", "poll_ok", "msgs", m("1", List.of(List.of(4L, 40L), List.of(5L, 50L))));
      case "commit_offsets" -> m("type", "commit_offsets_ok");
      default -> null;
    });
    Op a = c.invoke(Op.invoke(0, "assign", List.of("1", "2")), rpc);
    assertEquals(OpType.OK, a.type());
    assertEquals(Map.of("1", 4L, "2", 0L), c.positions());
    Op p = c.invoke(Op.invoke(0, "poll", List.of(List.of("poll"))), rpc);
    assertEquals(OpType.OK, p.type());
    assertEquals(List.of(List.of("poll", m("1", List.of(List.of(4L, 40L), List.of(5L, 50L))))), p.value());
    assertEquals(m("type", "commit_offsets", "offsets", m("1", 5L)), rpc.requests.get(2));
    assertEquals(Map.of("1", 6L, "2", 0L), c.positions());
    // a new assign keeps the local position of 1, drops 2, and reads committed for 3
    c.invoke(Op.invoke(0, "assign", List.of("1", "3")), rpc);
    assertEquals(Map.of("1", 6L, "3", 0L), c.positions());
    // seek to beginning: no RPC
    int before = rpc.requests.size();
    c.invoke(Op.invoke(0, "assign", List.of("1")).withExtra("seek-to-beginning?", true), rpc);
    assertEquals(before, rpc.requests.size());
    assertEquals(Map.of("1", 0L), c.positions());
  }

  @Test
  void errorsMapLikeMaelstrom() throws Exception {
    KafkaClient c = new KafkaClient(5000);
    FakeRpc timeouts = new FakeRpc(b -> null);
    Op send = c.invoke(Op.invoke(0, "send", List.of(List.of("send", "1", 3L))), timeouts);
    assertEquals(OpType.INFO, send.type());
    assertEquals("net-timeout", send.error());
    assertEquals(OpType.INFO, c.invoke(Op.invoke(0, "poll", List.of(List.of("poll"))), timeouts).type());
    assertEquals(OpType.FAIL, c.invoke(Op.invoke(0, "assign", List.of("1")), timeouts).type(), "assign is idempotent");
    assertEquals(OpType.INFO, c.invoke(Op.invoke(0, "crash", null), timeouts).type());
    // a poll whose commit fails is not ok and does not move the consumer
    KafkaClient c2 = new KafkaClient(5000);
    FakeRpc noCommit = new FakeRpc(b -> b.get("type").equals("poll")
        ? m("type", "poll_ok", "msgs", m("1", List.of(List.of(0L, 1L)))) : null);
    assertEquals(OpType.INFO, c2.invoke(Op.invoke(0, "poll", List.of(List.of("poll"))), noCommit).type());
    assertTrue(c2.positions().isEmpty());
    // closed schemas: an extra field makes the reply malformed → info with exception
    FakeRpc extra = new FakeRpc(b -> m("type", "send_ok", "offset", 1L, "extra", 1L));
    Op bad = c.invoke(Op.invoke(0, "send", List.of(List.of("send", "1", 3L))), extra);
    assertEquals(OpType.INFO, bad.type());
    assertNotNull(bad.exception());
    FakeRpc badPair = new FakeRpc(b -> m("type", "poll_ok", "msgs", m("1", List.of(List.of(0L, 1L, 2L)))));
    assertNotNull(c.invoke(Op.invoke(0, "poll", List.of(List.of("poll"))), badPair).exception());
    // ok send value carries [offset msg]
    FakeRpc ok = new FakeRpc(b -> m("type", "send_ok", "offset", 7L));
    assertEquals(List.of(List.of("send", "1", List.of(7L, 3L))),
        c.invoke(Op.invoke(0, "send", List.of(List.of("send", "1", 3L))), ok).value());
  }

  static TestSpec spec(int concurrency) {
    return TestSpec.builder().nodeCount(2).concurrency(concurrency).build();
  }

  @Test
  void generatorMixesSendsPollsAssignsAndCrashes() {
    Map<String, Long> max = new HashMap<>();
    TestSpec test = spec(4);
    KafkaGenerator g = new KafkaGenerator(test, max);
    SplittableRandom rnd = new SplittableRandom(3);
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Long> lastValue = new HashMap<>();
    long t = 0;
    for (int i = 0; i < 20_000; i++) {
      t += 1_000_000; // 1000 ops/s for 20 s
      Op op = g.next(GenContext.of(test, i % 4, i % 4, t, rnd));
      counts.merge(op.f(), 1, Integer::sum);
      if (op.f().equals("send")) {
        List<?> mop = (List<?>) ((List<?>) op.value()).get(0);
        String k = (String) mop.get(1);
        long v = (Long) mop.get(2);
        assertEquals(lastValue.getOrDefault(k, 0L) + 1, v, "values per key are 1, 2, 3 …");
        assertTrue(v <= 16);
        lastValue.put(k, v);
      }
    }
    double n = 20_000;
    assertEquals(1.0 / 8, counts.get("assign") / n, 0.02);
    assertEquals(0.5 * 7 / 8, counts.get("send") / n, 0.03);
    assertEquals(0.5 * 7 / 8, counts.get("poll") / n, 0.03);
    // crash every 30/concurrency s on average: ≈ 20 s × 4 / 30 ≈ 2.7
    assertTrue(counts.getOrDefault("crash", 0) >= 1 && counts.get("crash") <= 8, "crashes: " + counts.get("crash"));
    assertTrue(lastValue.size() > 300, "keys retire after 16 writes: " + lastValue.size());
  }

  @Test
  void aKeyStaysPolledAndAssignedAfterItsLastWriteUntilAWriteDrawsItAgainAsInElle() {
    // Elle's wr-txns retires a key only when a write would exceed max-writes-per-key; until then reads, and
    // the assigns substituted for them, keep naming it.
    TestSpec test = TestSpec.builder().nodeCount(1).concurrency(1).keyCount(1).maxWritesPerKey(2).build();
    KafkaGenerator g = new KafkaGenerator(test, new HashMap<>());
    SplittableRandom rnd = new SplittableRandom(11);
    Map<String, Long> lastValue = new HashMap<>();
    int assignsOfExhaustedKeys = 0;
    for (int i = 0; i < 5000; i++) {
      Op op = g.next(GenContext.of(test, 0, 0, 0, rnd));
      if (op.f().equals("send")) {
        List<?> mop = (List<?>) ((List<?>) op.value()).get(0);
        long v = (Long) mop.get(2);
        assertEquals(lastValue.getOrDefault((String) mop.get(1), 0L) + 1, v);
        lastValue.put((String) mop.get(1), v);
      } else if (op.f().equals("assign")) {
        for (Object k : (List<?>) op.value()) if (lastValue.getOrDefault((String) k, 0L) == 2) assignsOfExhaustedKeys++;
      }
    }
    assertTrue(assignsOfExhaustedKeys > 50, "assigns of keys that had all their writes: " + assignsOfExhaustedKeys);
  }

  @Test
  void crashesStartDueAndTieWithTheBaseOpAndTheNextIsDueAfterTheLastEmittedOne() {
    TestSpec test = spec(4); // crash stagger U[0, 15) s
    int firstOpCrashes = 0;
    for (int seed = 0; seed < 400; seed++) {
      KafkaGenerator g = new KafkaGenerator(test, new HashMap<>());
      SplittableRandom rnd = new SplittableRandom(seed);
      int firstCrash = -1;
      for (int i = 0; i < 40 && firstCrash < 0; i++) {
        if (g.next(GenContext.of(test, i % 4, i % 4, 0, rnd)).f().equals("crash")) firstCrash = i;
      }
      assertTrue(firstCrash >= 0, "seed " + seed + ": Jepsen's crash stagger is due at the first op");
      if (firstCrash == 0) firstOpCrashes++;
    }
    assertEquals(0.5, firstOpCrashes / 400.0, 0.08, "soonest-op-map breaks the tie at random");
    // After a 100 s stall the overdue crash is emitted once, then the next is due U[0, 15) s later: no burst.
    KafkaGenerator g = new KafkaGenerator(test, new HashMap<>());
    SplittableRandom rnd = new SplittableRandom(2);
    long t = 0;
    int crashes = 0;
    for (int i = 0; i < 20; i++) if (g.next(GenContext.of(test, 0, 0, t, rnd)).f().equals("crash")) crashes++;
    assertEquals(1, crashes);
    t = 100_000_000_000L;
    crashes = 0;
    for (int i = 0; i < 50; i++) {
      t += 1_000_000;
      if (g.next(GenContext.of(test, 0, 0, t, rnd)).f().equals("crash")) crashes++;
    }
    assertEquals(1, crashes, "one overdue crash, not one per missed interval");
  }

  @Test
  void assignsAreWidenedWithUnseenKeys() {
    TestSpec test = spec(2);
    KafkaGenerator g = new KafkaGenerator(test, new HashMap<>());
    g.update(Op.invoke(0, "send", null).complete(OpType.OK, List.of(List.of("send", "77", List.of(3L, 1L)))));
    assertEquals(java.util.Set.of("77"), g.unseenKeys());
    SplittableRandom rnd = new SplittableRandom(5);
    int widened = 0, assigns = 0;
    for (int i = 0; i < 5000; i++) {
      Op op = g.next(GenContext.of(test, 0, 0, 0, rnd));
      if (!op.f().equals("assign")) continue;
      assigns++;
      if (((List<?>) op.value()).contains("77")) widened++;
    }
    assertEquals(1.0 / 3, (double) widened / assigns, 0.08);
    g.update(Op.invoke(0, "poll", null).complete(OpType.OK, List.of(List.of("poll", Map.of("77", List.of(List.of(3L, 1L)))))));
    assertTrue(g.unseenKeys().isEmpty());
  }

  @Test
  void finalPhaseCrashesAssignsFromZeroAndPollsUntilCaughtUp() {
    TestSpec test = spec(2);
    Map<String, Long> max = new HashMap<>(Map.of("1", 2L, "2", 0L));
    KafkaFinalGenerator g = new KafkaFinalGenerator(max, 2);
    SplittableRandom rnd = new SplittableRandom(1);
    assertEquals("crash", g.next(GenContext.of(test, 0, 0, 0, rnd)).f());
    Op assign = g.next(GenContext.of(test, 0, 2, 0, rnd));
    assertEquals("assign", assign.f());
    assertEquals(List.of("1", "2"), assign.value());
    assertEquals(true, assign.extra().get("seek-to-beginning?"));
    Op poll = g.next(GenContext.of(test, 0, 2, 0, rnd));
    assertEquals("poll", poll.f());
    assertEquals(1000L, poll.extra().get("poll-ms"));
    assertEquals(Generator.PENDING, g.next(GenContext.of(test, 0, 2, 1, rnd)), "polls are staggered");
    g.update(poll.complete(OpType.OK, List.of(List.of("poll", Map.of("1", List.of(List.of(0L, 1L), List.of(2L, 3L)), "2", List.of(List.of(0L, 5L)))))));
    assertNull(g.next(GenContext.of(test, 0, 2, 1_000_000_000L, rnd)), "caught up: this worker is done");
    assertEquals("crash", g.next(GenContext.of(test, 1, 1, 0, rnd)).f(), "the other worker still has to poll");
  }
}
