package glomers.workloads.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  /** Messages of one key returned by a poll from 0 on a node. */
  static List<Long> messages(SimCluster c, String node, String key) {
    JsonNode r = c.call(node, poll(Map.of(key, 0L)));
    assertEquals("poll_ok", r.get("type").asText(), r::toString);
    List<Long> out = new ArrayList<>();
    JsonNode pairs = r.get("msgs").get(key);
    if (pairs == null) return out;
    long expect = 0;
    for (JsonNode p : pairs) {
      assertEquals(expect++, p.get(0).asLong(), "offsets must be dense from 0: " + r);
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

  static SimCluster cluster(int n) {
    return new SimCluster(n, KafkaHandler::new, Map.of());
  }

  @Test
  void singleNodeAssignsDenseOffsetsAndServesPollsAndCommits() {
    SimCluster c = cluster(1);
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
    SimCluster c = cluster(2);
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
    c.loop.runFor(200);
    for (String key : expected.keySet()) {
      assertEquals(expected.get(key), messages(c, "n0", key));
      assertEquals(expected.get(key), messages(c, "n1", key));
    }
    // commits gossip to the other node
    c.call("n0", commit("3", 4));
    c.loop.runFor(200);
    assertEquals("{\"3\":4}", Json.write(c.call("n1", list("3")).get("offsets")));
  }

  @Test
  void partitionedForwardFailsIndefinitelyInTimeAndReplicationHealsAfterwards() {
    SimCluster c = cluster(2);
    String foreignToN1 = null, ownedByN1 = null;
    for (int i = 0; foreignToN1 == null || ownedByN1 == null; i++) {
      String k = String.valueOf(i);
      int owner = Math.floorMod(k.hashCode(), 2);
      if (owner == 0 && foreignToN1 == null) foreignToN1 = k;
      if (owner == 1 && ownedByN1 == null) ownedByN1 = k;
    }
    c.isolated.add("n1");
    long start = c.loop.nowMillis();
    JsonNode r = c.call("n1", send(foreignToN1, 1));
    assertEquals("error", r.get("type").asText());
    assertEquals(13, r.get("code").asLong(), "indefinite: the owner may have appended it");
    assertTrue(c.loop.nowMillis() - start < 5000, "must answer before the client's 5 s timeout");
    // own keys and polls still work
    assertEquals(0, c.call("n1", send(ownedByN1, 2)).get("offset").asLong());
    assertEquals(0, c.call("n0", send(foreignToN1, 3)).get("offset").asLong());
    c.loop.runFor(1000);
    assertEquals(List.of(), messages(c, "n1", foreignToN1), "nothing replicated across the cut");
    c.isolated.clear();
    c.loop.runFor(2000);
    assertEquals(List.of(3L), messages(c, "n1", foreignToN1));
    assertEquals(List.of(2L), messages(c, "n0", ownedByN1));
  }

  @Test
  void retriedForwardIsAppendedOnce() {
    SimCluster c = cluster(2);
    String key = null;
    for (int i = 0; key == null; i++) if (Math.floorMod(String.valueOf(i).hashCode(), 2) == 0) key = String.valueOf(i);
    c.cutLinks.add("n0>n1"); // the owner's reply is lost
    long id = c.request("n1", send(key, 7));
    c.loop.runFor(1500); // first attempt timed out, second attempt sent
    c.cutLinks.clear();
    c.loop.runFor(1500);
    assertEquals(0, c.replies.get(id).get("offset").asLong());
    c.loop.runFor(1000);
    assertEquals(List.of(7L), messages(c, "n0", key));
    assertEquals(List.of(7L), messages(c, "n1", key));
  }

  /** Random sends, polls and partitions on 3 nodes: every node's view of a key is a prefix of the owner's. */
  @Test
  void randomOpsWithPartitionsKeepPrefixConsistency() {
    SimCluster c = cluster(3);
    SplittableRandom rnd = new SplittableRandom(42);
    Map<String, Map<Long, Long>> acked = new HashMap<>(); // key → offset → msg
    long v = 0;
    long ops = 0;
    for (int step = 0; step < 1500; step++) {
      if (step % 150 == 0) {
        c.isolated.clear();
        if (rnd.nextBoolean()) c.isolated.add("n" + rnd.nextInt(3));
      }
      String node = "n" + rnd.nextInt(3);
      String key = String.valueOf(rnd.nextInt(12));
      ops++;
      if (rnd.nextBoolean()) {
        long id = c.request(node, send(key, ++v));
        long msg = v;
        c.loop.runFor(rnd.nextInt(5));
        JsonNode r = c.replies.get(id);
        if (r != null && r.get("type").asText().equals("send_ok")) {
          Long old = acked.computeIfAbsent(key, k -> new HashMap<>()).put(r.get("offset").asLong(), msg);
          assertEquals(null, old, "two acknowledged sends got one offset");
        }
      } else {
        messages(c, node, key);
      }
    }
    c.isolated.clear();
    c.loop.runFor(20_000); // all outstanding forwards resolve, replication heals
    for (String key : acked.keySet()) {
      List<Long> owner = messages(c, "n" + Math.floorMod(key.hashCode(), 3), key);
      for (int n = 0; n < 3; n++) assertEquals(owner, messages(c, "n" + n, key), "replica of " + key + " on n" + n);
      acked.get(key).forEach((off, msg) -> assertEquals(msg, owner.get(off.intValue()), "acked send at its offset"));
      assertEquals(owner.size(), new HashSet<>(owner).size(), "no duplicates");
    }
    assertTrue(ops > 0);
  }

  /** Efficiency: well under one server message per client op in a busy 2-node cluster. */
  @Test
  void serverMessagesPerOpStayLow() {
    SimCluster c = cluster(2);
    SplittableRandom rnd = new SplittableRandom(7);
    long ops = 0, v = 0;
    for (int ms = 0; ms < 5000; ms++) {
      for (int j = 0; j < 2; j++) {
        ops++;
        String node = "n" + rnd.nextInt(2);
        if (rnd.nextBoolean()) c.request(node, send(String.valueOf(rnd.nextInt(20)), ++v));
        else c.request(node, poll(Map.of(String.valueOf(rnd.nextInt(20)), 0L)));
      }
      c.loop.runFor(1);
    }
    double perOp = (double) c.serverMsgs / ops;
    assertTrue(perOp < 0.7, "server msgs per op " + perOp);
    assertFalse(c.replies.values().stream().anyMatch(r -> r.get("type").asText().equals("error")));
  }

  /** Lost acks make the owner resend; once healed and idle, the cluster must fall silent again. */
  @Test
  void replicationQuiesces() {
    SimCluster c = cluster(2);
    String key = null;
    for (int i = 0; key == null; i++) if (Math.floorMod(String.valueOf(i).hashCode(), 2) == 0) key = String.valueOf(i);
    c.cutLinks.add("n1>n0"); // n1's acks are lost
    for (int i = 0; i < 5; i++) c.call("n0", send(key, i));
    c.loop.runFor(2000);
    c.cutLinks.clear();
    c.loop.runFor(3000);
    long before = c.serverMsgs;
    c.loop.runFor(10_000);
    assertTrue(c.serverMsgs - before <= 2, "idle cluster still chatting: " + (c.serverMsgs - before));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), messages(c, "n1", key));
  }

  @Test
  void malformedRequestsGetDefiniteErrors() {
    SimCluster c = cluster(1);
    ObjectNode b = Json.object();
    b.put("type", "poll");
    assertEquals(12, c.call("n0", b).get("code").asLong());
  }
}
