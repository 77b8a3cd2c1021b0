package glomers.workloads.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Json;
import glomers.sim.SimTestCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The kafka node's two modes on the simulation engine, step by step. */
class KafkaHandlerTest {
  static ObjectNode send(String key, long msg) {
    ObjectNode b = Json.object();
    b.put("type", "send");
    b.put("key", key);
    b.put("msg", msg);
    return b;
  }

  static ObjectNode poll(Map<String, Long> offsets) {
    ObjectNode b = Json.object();
    b.put("type", "poll");
    ObjectNode o = b.putObject("offsets");
    offsets.forEach(o::put);
    return b;
  }

  static ObjectNode commit(String key, long offset) {
    ObjectNode b = Json.object();
    b.put("type", "commit_offsets");
    b.putObject("offsets").put(key, offset);
    return b;
  }

  static ObjectNode list(String... keys) {
    ObjectNode b = Json.object();
    b.put("type", "list_committed_offsets");
    var a = b.putArray("keys");
    for (String k : keys) a.add(k);
    return b;
  }

  /** Messages of one key returned by a poll from 0 on a node (owner mode: offsets must be dense). */
  static List<Long> messages(SimTestCluster c, String node, String key) {
    JsonNode r = c.call(node, poll(Map.of(key, 0L)));
    assertEquals("poll_ok", r.get("type").asText(), r::toString);
    List<Long> out = new ArrayList<>();
    JsonNode pairs = r.get("msgs").get(key);
    if (pairs == null) return out;
    long expect = 0;
    long last = -1;
    for (JsonNode p : pairs) {
      if (c.settings().getOrDefault("mode", "clock").equals("owner")) assertEquals(expect++, p.get(0).asLong(), "offsets must be dense from 0: " + r);
      assertTrue(p.get(0).asLong() > last, "offsets must increase: " + r);
      last = p.get(0).asLong();
      out.add(p.get(1).asLong());
    }
    return out;
  }

  static JsonNode tree(String json) {
    try {
      return Json.parseTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static SimTestCluster cluster(int n) {
    return SimTestCluster.builder(n, KafkaHandler::new).settings(Map.of("mode", "owner")).latency(1).start();
  }

  static SimTestCluster clockCluster(int n) {
    return SimTestCluster.builder(n, KafkaHandler::new).latency(1).start();
  }

  @Test
  void singleNodeAssignsDenseOffsetsAndServesPollsAndCommits() {
    SimTestCluster c = cluster(1);
    assertEquals(0, c.call("n0", send("5", 10)).get("offset").asLong());
    assertEquals(1, c.call("n0", send("5", 11)).get("offset").asLong());
    assertEquals(0, c.call("n0", send("6", 12)).get("offset").asLong());
    JsonNode r = c.call("n0", poll(Map.of("5", 1L, "6", 0L, "7", 0L)));
    assertEquals(tree("{\"5\":[[1,11]],\"6\":[[0,12]]}"), r.get("msgs"));
    // exactly the closed reply schema: type, in_reply_to, msg_id, msgs
    Set<String> fields = new HashSet<>();
    r.fieldNames().forEachRemaining(fields::add);
    assertEquals(Set.of("type", "in_reply_to", "msg_id", "msgs"), fields);
    assertEquals("commit_offsets_ok", c.call("n0", commit("5", 1)).get("type").asText());
    c.call("n0", commit("5", 0)); // never goes backwards
    assertEquals("{\"5\":1}", Json.write(c.call("n0", list("5", "6")).get("offsets")));
  }

  @Test
  void foreignSendsAreForwardedAndReplicasConverge() {
    SimTestCluster c = cluster(2);
    Map<String, List<Long>> expected = new HashMap<>();
    long v = 0;
    for (int i = 0; i < 40; i++) {
      String key = String.valueOf(i % 7);
      String node = "n" + (i % 2);
      JsonNode r = c.call(node, send(key, ++v));
      List<Long> log = expected.computeIfAbsent(key, k -> new ArrayList<>());
      assertEquals(log.size(), r.get("offset").asLong(), "dense per-key offsets whichever node took the send");
      log.add(v);
    }
    c.run(200);
    for (String key : expected.keySet()) {
      assertEquals(expected.get(key), messages(c, "n0", key));
      assertEquals(expected.get(key), messages(c, "n1", key));
    }
    // commits gossip to the other node
    c.call("n0", commit("3", 4));
    c.run(200);
    assertEquals("{\"3\":4}", Json.write(c.call("n1", list("3")).get("offsets")));
  }

  @Test
  void partitionedForwardFailsIndefinitelyInTimeAndReplicationHealsAfterwards() {
    SimTestCluster c = cluster(2);
    String foreignToN1 = null, ownedByN1 = null;
    for (int i = 0; foreignToN1 == null || ownedByN1 == null; i++) {
      String k = String.valueOf(i);
      int owner = Math.floorMod(k.hashCode(), 2);
      if (owner == 0 && foreignToN1 == null) foreignToN1 = k;
      if (owner == 1 && ownedByN1 == null) ownedByN1 = k;
    }
    c.isolate("n1");
    long start = c.now();
    JsonNode r = c.call("n1", send(foreignToN1, 1));
    assertEquals("error", r.get("type").asText());
    assertEquals(13, r.get("code").asLong(), "indefinite: the owner may have appended it");
    assertTrue(c.now() - start < 5000, "must answer before the client's 5 s timeout");
    // own keys and polls still work
    assertEquals(0, c.call("n1", send(ownedByN1, 2)).get("offset").asLong());
    assertEquals(0, c.call("n0", send(foreignToN1, 3)).get("offset").asLong());
    c.run(1000);
    assertEquals(List.of(), messages(c, "n1", foreignToN1), "nothing replicated across the cut");
    c.heal();
    c.run(2000);
    assertEquals(List.of(3L), messages(c, "n1", foreignToN1));
    assertEquals(List.of(2L), messages(c, "n0", ownedByN1));
  }

  @Test
  void retriedForwardIsAppendedOnce() {
    SimTestCluster c = cluster(2);
    String key = null;
    for (int i = 0; key == null; i++) if (Math.floorMod(String.valueOf(i).hashCode(), 2) == 0) key = String.valueOf(i);
    c.drop("n1", "n0"); // the owner's reply is lost
    SimTestCluster.Call sent = c.send("n1", send(key, 7));
    c.run(1500); // first attempt timed out, second attempt sent
    c.heal();
    c.run(1500);
    assertEquals(0, sent.reply().get("offset").asLong());
    c.run(1000);
    assertEquals(List.of(7L), messages(c, "n0", key));
    assertEquals(List.of(7L), messages(c, "n1", key));
  }

  /**
   * Random sends, polls and partitions on 3 nodes. The safety property behind "no skips, no lost writes":
   * whatever a poll returned for [from, last returned offset] is exactly what that range holds at the end
   * (nothing may appear later inside a range already shown), every acknowledged send is at its offset,
   * and all nodes converge to the same log.
   */
  static void randomOpsKeepPollsFinal(SimTestCluster c, int nodes, long seed) {
    c.step(() -> randomOps(c, nodes, seed));
  }

  private static void randomOps(SimTestCluster c, int nodes, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Map<Long, Long>> acked = new HashMap<>(); // key → offset → msg
    List<Object[]> polls = new ArrayList<>(); // key, from, returned offsets, returned msgs
    long v = 0;
    for (int step = 0; step < 1500; step++) {
      if (step % 150 == 0) {
        c.heal();
        if (rnd.nextBoolean()) c.isolate("n" + rnd.nextInt(nodes));
      }
      String node = "n" + rnd.nextInt(nodes);
      String key = String.valueOf(rnd.nextInt(12));
      if (rnd.nextBoolean()) {
        SimTestCluster.Call sent = c.send(node, send(key, ++v));
        long msg = v;
        c.run(rnd.nextInt(30));
        JsonNode r = sent.reply();
        if (r != null && r.get("type").asText().equals("send_ok")) {
          Long old = acked.computeIfAbsent(key, k -> new HashMap<>()).put(r.get("offset").asLong(), msg);
          assertEquals(null, old, "two acknowledged sends got one offset");
        }
      } else {
        long from = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(200);
        JsonNode r = c.call(node, poll(Map.of(key, from)));
        List<Long> offs = new ArrayList<>(), msgs = new ArrayList<>();
        JsonNode pairs = r.get("msgs").get(key);
        if (pairs != null) for (JsonNode p : pairs) {
          offs.add(p.get(0).asLong());
          msgs.add(p.get(1).asLong());
        }
        polls.add(new Object[] {key, from, offs, msgs});
      }
    }
    c.heal();
    c.run(20_000); // all outstanding forwards resolve, replication heals
    Map<String, java.util.TreeMap<Long, Long>> fin = new HashMap<>();
    for (String key : acked.keySet()) {
      JsonNode r0 = null;
      for (int n = 0; n < nodes; n++) {
        JsonNode r = c.call("n" + n, poll(Map.of(key, 0L))).get("msgs");
        if (r0 == null) r0 = r;
        assertEquals(r0, r, "replica of " + key + " on n" + n);
      }
      java.util.TreeMap<Long, Long> log = new java.util.TreeMap<>();
      for (JsonNode p : r0.get(key)) log.put(p.get(0).asLong(), p.get(1).asLong());
      fin.put(key, log);
      acked.get(key).forEach((off, msg) -> assertEquals(msg, log.get(off), "acked send at its offset"));
      assertEquals(log.size(), new HashSet<>(log.values()).size(), "no duplicates");
    }
    int nonEmpty = 0;
    for (Object[] p : polls) {
      @SuppressWarnings("unchecked") List<Long> offs = (List<Long>) p[2];
      @SuppressWarnings("unchecked") List<Long> msgs = (List<Long>) p[3];
      if (offs.isEmpty()) continue;
      nonEmpty++;
      java.util.TreeMap<Long, Long> log = fin.getOrDefault((String) p[0], new java.util.TreeMap<>());
      var range = log.subMap((Long) p[1], true, offs.get(offs.size() - 1), true);
      assertEquals(new ArrayList<>(range.keySet()), offs, "poll of " + p[0] + " from " + p[1] + " was not final");
      assertEquals(new ArrayList<>(range.values()), msgs);
    }
    assertTrue(nonEmpty > 50, "too few non-empty polls to mean anything: " + nonEmpty);
  }

  @Test
  void ownerModeRandomOpsWithPartitionsKeepPollsFinal() {
    randomOpsKeepPollsFinal(cluster(3), 3, 42);
  }

  @Test
  void clockModeRandomOpsWithPartitionsKeepPollsFinal() {
    randomOpsKeepPollsFinal(clockCluster(3), 3, 43);
    randomOpsKeepPollsFinal(clockCluster(2), 2, 44);
  }

  @Test
  void clockModeSendsStayLocalEvenAcrossPartitions() {
    SimTestCluster c = clockCluster(2);
    c.isolate("n1");
    long o1 = c.call("n0", send("1", 1)).get("offset").asLong();
    long o2 = c.call("n1", send("1", 2)).get("offset").asLong();
    long o3 = c.call("n1", send("1", 3)).get("offset").asLong();
    assertTrue(o1 != o2 && o2 < o3, "unique, increasing per node");
    assertEquals(0, c.serverMessages() - c.dropped(), "nothing crosses the cut, and sends need no message");
    c.heal();
    c.run(1000);
    assertEquals(messages(c, "n0", "1"), messages(c, "n1", "1"));
    assertEquals(3, messages(c, "n0", "1").size());
  }

  @Test
  void clockModeMessagesBecomeVisibleWithinTwoIntervals() {
    SimTestCluster c = clockCluster(2);
    c.run(200);
    c.call("n0", send("1", 1));
    c.run(120);
    assertEquals(List.of(1L), messages(c, "n0", "1"));
    assertEquals(List.of(1L), messages(c, "n1", "1"));
  }

  /** Efficiency: well under one server message per client op in a busy 2-node cluster. */
  @Test
  void serverMessagesPerOpStayLow() {
    assertTrue(serverMessagesPerOp(cluster(2)) < 0.7);
    assertTrue(serverMessagesPerOp(clockCluster(2)) < 0.1);
  }

  static double serverMessagesPerOp(SimTestCluster c) {
    return c.step(() -> {
      SplittableRandom rnd = new SplittableRandom(7);
      long ops = 0, v = 0;
      List<SimTestCluster.Call> calls = new ArrayList<>();
      for (int ms = 0; ms < 5000; ms++) {
        for (int j = 0; j < 2; j++) {
          ops++;
          String node = "n" + rnd.nextInt(2);
          if (rnd.nextBoolean()) calls.add(c.send(node, send(String.valueOf(rnd.nextInt(20)), ++v)));
          else calls.add(c.send(node, poll(Map.of(String.valueOf(rnd.nextInt(20)), 0L))));
        }
        c.run(1);
      }
      c.run(100);
      assertFalse(calls.stream().anyMatch(r -> r.reply() != null && r.reply().get("type").asText().equals("error")));
      return (double) c.serverMessages() / ops;
    });
  }

  /** Lost acks make the owner resend; once healed and idle, the cluster must fall silent again. */
  @Test
  void replicationQuiesces() {
    SimTestCluster c = cluster(2);
    String key = null;
    for (int i = 0; key == null; i++) if (Math.floorMod(String.valueOf(i).hashCode(), 2) == 0) key = String.valueOf(i);
    c.drop("n0", "n1"); // n1's acks are lost
    for (int i = 0; i < 5; i++) c.call("n0", send(key, i));
    c.run(2000);
    c.heal();
    c.run(3000);
    long before = c.serverMessages();
    c.run(10_000);
    assertTrue(c.serverMessages() - before <= 2, "idle cluster still chatting: " + (c.serverMessages() - before));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), messages(c, "n1", key));
  }

  @Test
  void malformedRequestsGetDefiniteErrors() {
    SimTestCluster c = cluster(1);
    ObjectNode b = Json.object();
    b.put("type", "poll");
    assertEquals(12, c.call("n0", b).get("code").asLong());
  }

  /**
   * With 3 nodes a peer that takes no sends still moves the stable point: its raised watermark travels
   * in a batch with no entries. That batch lost, the watermark must be resent, or n1's polls stay stale.
   */
  @Test
  void aLostWatermarkOnlyBatchIsResent() {
    SimTestCluster c = clockCluster(3);
    c.drop("n1", "n2"); // everything n2 tells n1 is lost for a while, watermarks included
    c.call("n0", send("k", 1));
    c.run(300);
    c.heal();
    c.run(3000);
    assertEquals(List.of(1L), messages(c, "n0", "k"));
    assertEquals(List.of(1L), messages(c, "n1", "k"), "n1 still waits for n2's watermark");
  }
}
