package glomers.harness.workload.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden histories for the kafka checker: one valid family and one history per anomaly. */
class KafkaCheckerTest {
  static Map<String, Object> check(History h) {
    return new KafkaChecker().check(CheckContext.forTest(1, Map.of()), h);
  }

  static void assertErrors(Map<String, Object> r, String... types) {
    assertEquals(List.of(types), r.get("error-types"), () -> "result: " + r);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> entry(Map<String, Object> r, String type) {
    return (Map<String, Object>) r.get(type);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> firstErr(Map<String, Object> r, String type) {
    return ((List<Map<String, Object>>) entry(r, type).get("errs")).get(0);
  }

  @Test
  void validHistoryWithHolesAssignsAndCrashes() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(1, "1", 2, 3) // sparse offsets are fine
        .send(0, "2", 1, 0)
        .assign(0, "1", "2")
        .poll(0, "1", 0, 1, "1", 3, 2)
        .poll(0, "2", 0, 1)
        .send(1, "1", 3, 7)
        .poll(0, "1", 7, 3)
        .crash(1)
        .assign(3, "1")
        .poll(3, "1", 0, 1, "1", 3, 2, "1", 7, 3); // fresh process starts over: fine
    Map<String, Object> r = check(b.build());
    assertEquals(true, r.get("valid?"), r::toString);
    assertErrors(r);
    assertEquals(List.of(), r.get("bad-error-types"));
    assertTrue(r.containsKey("worst-realtime-lag"));
  }

  @Test
  void inconsistentOffsets() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "9", 9, 8).send(1, "9", 10, 8).poll(0, "9", 8, 9);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertTrue(((List<?>) r.get("error-types")).contains("inconsistent-offsets"), r::toString);
    Map<String, Object> e = firstErr(r, "inconsistent-offsets");
    assertEquals("9", e.get("key"));
    assertEquals(8L, e.get("offset"));
    assertEquals(0L, e.get("index"));
    assertEquals(List.of(9L, 10L), e.get("values"));
  }

  @Test
  void duplicate() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 5, 0).poll(1, "1", 0, 5, "1", 1, 5);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertTrue(((List<?>) r.get("error-types")).contains("duplicate"), r::toString);
    Map<String, Object> e = firstErr(r, "duplicate");
    assertEquals(5L, e.get("value"));
    assertEquals(2L, e.get("count"));
    assertEquals(List.of(0L, 1L), e.get("offsets"));
  }

  @Test
  void g1aReadOfFailedSend() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.sendFail(0, "1", 1).poll(1, "1", 0, 1);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "G1a");
    assertEquals(1L, firstErr(r, "G1a").get("value"));
  }

  @Test
  void infoSendReadIsFine() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.sendInfo(0, "1", 1).poll(1, "1", 0, 1);
    Map<String, Object> r = check(b.build());
    assertEquals(true, r.get("valid?"), r::toString);
    assertEquals(List.of("net-timeout"), r.get("info-txn-causes"));
  }

  @Test
  void lostWrite() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
        .poll(1, "1", 0, 1) // process 1 reads offset 0
        .poll(2, "1", 2, 3); // process 2 starts at offset 2: nobody ever reads 2
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "lost-write", "unseen");
    Map<String, Object> e = firstErr(r, "lost-write");
    assertEquals(2L, e.get("value"));
    assertEquals(1L, e.get("index"));
    assertEquals(2L, e.get("max-read-index"));
  }

  @Test
  void lostWriteIgnoresUncommittedInfoSend() {
    // An info send whose value nobody read might never have happened: not lost. It has no offset, so it
    // is not even in the version order.
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).sendInfo(0, "1", 2).send(4, "1", 3, 2).poll(1, "1", 0, 1, "1", 2, 3);
    Map<String, Object> r = check(b.build());
    assertEquals(true, r.get("valid?"), r::toString);
  }

  @Test
  void pollSkipAcrossPolls() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
        .poll(1, "1", 0, 1)
        .poll(1, "1", 2, 3) // skipped offset 1
        .poll(2, "1", 0, 1, "1", 1, 2, "1", 2, 3);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "poll-skip");
    Map<String, Object> e = firstErr(r, "poll-skip");
    assertEquals(2L, e.get("delta"));
    assertEquals(List.of(2L), e.get("skipped"));
  }

  @Test
  void assignWithoutTheKeyResetsPollTracking() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
        .poll(1, "1", 0, 1)
        .assign(1, "2") // forgets key 1
        .poll(1, "1", 2, 3)
        .poll(2, "1", 0, 1, "1", 1, 2, "1", 2, 3);
    assertEquals(true, check(b.build()).get("valid?"));
    // …whereas an assign that keeps the key keeps tracking it.
    KafkaHistoryBuilder b2 = new KafkaHistoryBuilder();
    b2.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
        .poll(1, "1", 0, 1)
        .assign(1, "1", "2")
        .poll(1, "1", 2, 3)
        .poll(2, "1", 0, 1, "1", 1, 2, "1", 2, 3);
    assertErrors(check(b2.build()), "poll-skip");
  }

  @Test
  void nonmonotonicPoll() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).poll(1, "1", 0, 1, "1", 1, 2).poll(1, "1", 1, 2);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "nonmonotonic-poll");
    assertEquals(0L, firstErr(r, "nonmonotonic-poll").get("delta"));
  }

  @Test
  void intPollSkipAndNonmonotonic() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
        .poll(1, "1", 0, 1, "1", 2, 3)
        .poll(2, "1", 1, 2);
    Map<String, Object> r = check(b.build());
    assertErrors(r, "int-poll-skip");
    assertEquals(false, r.get("valid?"));

    KafkaHistoryBuilder b2 = new KafkaHistoryBuilder();
    b2.send(0, "1", 1, 0).send(0, "1", 2, 1).poll(1, "1", 1, 2, "1", 0, 1);
    Map<String, Object> r2 = check(b2.build());
    assertErrors(r2, "int-nonmonotonic-poll");
    assertEquals(-1L, firstErr(r2, "int-nonmonotonic-poll").get("delta"));
  }

  @Test
  void nonmonotonicSend() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 5).send(0, "1", 2, 3).poll(1, "1", 3, 2, "1", 5, 1);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "nonmonotonic-send");
  }

  @Test
  void unseenAcknowledgedSend() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "7", 1, 0).poll(1, "1", 0, 1, "1", 1, 2);
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "unseen");
    Map<String, Object> u = entry(r, "unseen");
    assertEquals(Map.of("7", 1L), u.get("unseen"));
    assertEquals(Map.of("7", List.of(1L)), u.get("messages"));
  }

  @Test
  void pollBeforeSendIsARealtimeCycle() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.poll(1, "1", 0, 1); // returns a message…
    b.send(0, "1", 1, 0); // …that is only sent afterwards
    Map<String, Object> r = check(b.build());
    assertEquals(false, r.get("valid?"));
    assertErrors(r, "G1c-realtime");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) firstErr(r, "G1c-realtime").get("steps");
    assertEquals(2, steps.size());
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyCycleIsCountedAndTheShortestAreShownFirst() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    // A three-step cycle first (poll, an unrelated poll, the send), then nine two-step ones on other keys.
    b.poll(1, "k0", 0, 1).poll(2).send(0, "k0", 1, 0);
    for (int i = 1; i < 10; i++) b.poll(1, "k" + i, 0, 1).send(0, "k" + i, 1, 0);
    Map<String, Object> r = check(b.build());
    assertErrors(r, "G1c-realtime");
    assertEquals(10L, entry(r, "G1c-realtime").get("count"), r::toString);
    List<Map<String, Object>> errs = (List<Map<String, Object>>) entry(r, "G1c-realtime").get("errs");
    assertEquals(8, errs.size());
    for (Map<String, Object> e : errs) assertEquals(2, ((List<?>) e.get("steps")).size(), e::toString);
  }

  @Test
  void concurrentSendAndPollIsNoCycle() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    Op s = b.invokeSend(0, "1", 1);
    Op p = b.invokePoll(1);
    b.okPoll(p, "1", 0, 1);
    b.okSend(s, 0);
    assertEquals(true, check(b.build()).get("valid?"));
  }

  @Test
  void pollOfUnsentValueIsUnknown() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0).poll(1, "1", 0, 1, "1", 1, 99);
    Map<String, Object> r = check(b.build());
    assertEquals("unknown", r.get("valid?"), r::toString);
  }

  @Test
  void malformedValueIsUnknown() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    Op inv = b.invokePoll(1);
    b.complete(inv, OpType.OK, List.of(List.of("poll", Map.of("1", List.of(List.of(0L))))));
    assertEquals("unknown", check(b.build()).get("valid?"));
  }

  @Test
  void emptyPollListsAreFine() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.pollEmpty(1, "1").send(0, "1", 1, 0).pollEmpty(1, "1").poll(1, "1", 0, 1).pollEmpty(1, "1");
    Map<String, Object> r = check(b.build());
    assertEquals(true, r.get("valid?"), r::toString);
  }

  @Test
  void worstRealtimeLag() {
    KafkaHistoryBuilder b = new KafkaHistoryBuilder();
    b.send(0, "1", 1, 0); // t=2ms: offset 0 exists
    b.assign(1, "1");
    b.pollEmpty(1, "1"); // invoked at t=5ms, saw nothing: lag 5-2 = 3 ms
    b.poll(1, "1", 0, 1);
    Map<String, Object> r = check(b.build());
    @SuppressWarnings("unchecked")
    Map<String, Object> lag = (Map<String, Object>) r.get("worst-realtime-lag");
    assertEquals(0.003, (Double) lag.get("lag"), 1e-9);
    assertEquals("1", lag.get("key"));
    assertEquals(1L, lag.get("process"));
  }

  /** Analysis must stay fast: a 60 s run at 1000 ops/s (≈ 60k ops, 4 workers) in well under 10 s. */
  @Test
  void largeValidHistoryIsCheckedQuickly() {
    List<Op> ops = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(1);
    int workers = 4;
    long[] next = new long[40];
    List<List<long[]>> logs = new ArrayList<>();
    for (int k = 0; k < 40; k++) logs.add(new ArrayList<>());
    long[][] readPos = new long[workers][40];
    long t = 0;
    int v = 0;
    for (int i = 0; i < 60_000; i++) {
      int w = i % workers;
      t += 1_000_000;
      if (rnd.nextBoolean()) {
        int k = rnd.nextInt(40);
        long value = ++v;
        Op inv = Op.invoke(w, "send", KafkaHistoryBuilder.sendValue(String.valueOf(k), value)).withTime(t);
        long off = next[k]++;
        logs.get(k).add(new long[] {off, value});
        ops.add(inv);
        ops.add(inv.complete(OpType.OK, KafkaHistoryBuilder.sendValue(String.valueOf(k), List.of(off, value))).withTime(t + 500_000));
      } else {
        Map<String, Object> byKey = new java.util.LinkedHashMap<>();
        for (int k = 0; k < 40; k++) {
          List<long[]> log = logs.get(k);
          List<Object> pairs = new ArrayList<>();
          while (readPos[w][k] < log.size() && pairs.size() < 5) {
            long[] p = log.get((int) readPos[w][k]++);
            pairs.add(List.of(p[0], p[1]));
          }
          if (!pairs.isEmpty()) byKey.put(String.valueOf(k), pairs);
        }
        Op inv = Op.invoke(w, "poll", List.of(List.of("poll"))).withTime(t);
        ops.add(inv);
        ops.add(inv.complete(OpType.OK, List.of(List.of("poll", byKey))).withTime(t + 500_000));
      }
    }
    // a final catch-up poll per worker
    for (int w = 0; w < workers; w++) {
      Map<String, Object> byKey = new java.util.LinkedHashMap<>();
      for (int k = 0; k < 40; k++) {
        List<Object> pairs = new ArrayList<>();
        for (long[] p : logs.get(k).subList((int) readPos[w][k], logs.get(k).size())) pairs.add(List.of(p[0], p[1]));
        if (!pairs.isEmpty()) byKey.put(String.valueOf(k), pairs);
      }
      t += 1_000_000;
      Op inv = Op.invoke(w, "poll", List.of(List.of("poll"))).withTime(t);
      ops.add(inv);
      ops.add(inv.complete(OpType.OK, List.of(List.of("poll", byKey))).withTime(t + 500_000));
    }
    // CPU time of this thread, not wall time: the shared 2-core machine is often heavily loaded.
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    Map<String, Object> r = check(new History(ops));
    long ms = (mx.getCurrentThreadCpuTime() - start) / 1_000_000;
    assertEquals(true, r.get("valid?"), () -> String.valueOf(r.get("error-types")));
    assertTrue(ms < 10_000, "took " + ms + " ms");
  }
}
