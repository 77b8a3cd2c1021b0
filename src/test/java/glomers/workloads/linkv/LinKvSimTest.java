package glomers.workloads.linkv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.linkv.LinKvChecker;
import glomers.protocol.Json;
import glomers.workloads.raft.SimCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Raft key-value store under a simulated Maelstrom lin-kv test: closed-loop clients bound to every
 * node, random partitions, and the harness' own linearizability checker on the resulting history.
 */
class LinKvSimTest {
  private static final class Client {
    final String id;
    final String node;
    long process;
    Op pending;
    long pendingMsgId = -1;

    Client(String id, String node, long process) {
      this.id = id;
      this.node = node;
      this.process = process;
    }
  }

  /** Runs the test; returns the history and the ok fraction. */
  private static Map<String, Object> run(long seed, int nodes, long latency, long millis, boolean partitions, List<Op> history) {
    return run(LinKvHandler::new, seed, nodes, latency, millis, partitions, history);
  }

  static Map<String, Object> run(
      java.util.function.Supplier<glomers.node.WorkloadHandler> handler, long seed, int nodes, long latency, long millis, boolean partitions, List<Op> history) {
    SimCluster c = new SimCluster(nodes, latency, seed, Map.of(), handler);
    SplittableRandom rnd = new SplittableRandom(seed);
    int concurrency = 2 * nodes;
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) clients.add(new Client("c" + (100 + i), c.ids.get(i % nodes), i));
    Map<String, Client> byId = clients.stream().collect(Collectors.toMap(x -> x.id, x -> x));
    long t0 = c.loop.nowMillis();
    long[] ok = {0}, invoked = {0};

    c.onClientReply = (cid, body) -> {
      Client cl = byId.get(cid);
      if (cl == null || cl.pending == null || body.path("in_reply_to").asLong() != cl.pendingMsgId) return;
      Op inv = cl.pending;
      cl.pending = null;
      List<?> kv = (List<?>) inv.value();
      Op done;
      if (body.path("type").asText().equals("error")) {
        boolean definite = Set.of(1L, 10L, 11L, 12L, 14L, 20L, 21L, 22L, 30L).contains(body.path("code").asLong());
        done = new Op(-1, 0, definite || inv.f().equals("read") ? OpType.FAIL : OpType.INFO, inv.process(), inv.f(), inv.value(), null, null, false, null);
      } else {
        Object v = inv.f().equals("read") ? Arrays.asList(kv.get(0), Json.toPlain(body.get("value"))) : inv.value();
        done = new Op(-1, 0, OpType.OK, inv.process(), inv.f(), v, null, null, false, null);
        ok[0]++;
      }
      history.add(done.withTime((c.loop.nowMillis() - t0) * 1_000_000));
      if (done.isInfo()) cl.process += concurrency;
    };

    long key = 0;
    long nextPartition = 0;
    boolean split = false;
    for (long now = 0; now < millis; now += 5) {
      if (partitions && now >= nextPartition) {
        if (split) c.heal();
        else c.partition(c.ids.stream().filter(x -> rnd.nextBoolean()).collect(Collectors.toSet()));
        split = !split;
        nextPartition = now + rnd.nextLong(1000, 3000);
      }
      for (int i = 0; i < clients.size(); i++) {
        Client cl = clients.get(i);
        if (cl.pending != null || rnd.nextInt(4) != 0) continue;
        ObjectNode body = Json.object();
        Op inv;
        if (i % (2 * nodes) < nodes) {
          body.put("type", "read");
          inv = Op.invoke(cl.process, "read", Arrays.asList(key, null));
        } else if (rnd.nextInt(3) == 0) {
          long v = rnd.nextInt(5);
          body.put("type", "write");
          body.put("value", v);
          inv = Op.invoke(cl.process, "write", Arrays.asList(key, v));
        } else {
          long a = rnd.nextInt(5), b = rnd.nextInt(5);
          body.put("type", "cas");
          body.put("from", a);
          body.put("to", b);
          inv = Op.invoke(cl.process, "cas", Arrays.asList(key, List.of(a, b)));
        }
        body.put("key", key);
        cl.pending = inv;
        history.add(inv.withTime((c.loop.nowMillis() - t0) * 1_000_000));
        invoked[0]++;
        cl.pendingMsgId = c.request(cl.id, cl.node, body);
        long msgId = cl.pendingMsgId;
        c.loop.schedule(1000, () -> {
          if (cl.pending == inv && cl.pendingMsgId == msgId) {
            cl.pending = null;
            Op done = new Op(-1, (c.loop.nowMillis() - t0) * 1_000_000, inv.f().equals("read") ? OpType.FAIL : OpType.INFO,
                inv.process(), inv.f(), inv.value(), "net-timeout", null, false, null);
            history.add(done);
            if (done.isInfo()) cl.process += concurrency;
          }
        });
      }
      c.run(5);
    }
    c.heal();
    c.run(2000);
    Map<String, Object> r = new HashMap<>();
    r.put("ok-fraction", (double) ok[0] / invoked[0]);
    r.put("msgs-per-op", (double) c.serverMessages / invoked[0]);
    return r;
  }

  @Test
  void mutantsAreRejected() {
    for (var mutant : List.<java.util.function.Supplier<glomers.node.WorkloadHandler>>of(
        glomers.mutants.linkv.StaleCacheReadNode::new, glomers.mutants.linkv.CasIgnoresFromNode::new)) {
      List<Op> h = new ArrayList<>();
      run(mutant, 1, 5, 5, 5000, false, h);
      Map<String, Object> res = new LinKvChecker().check(CheckContext.forTest(5, Map.of()), new History(h));
      assertEquals(false, res.get("valid?"), mutant.get().getClass().getSimpleName());
    }
  }

  @Test
  void ringPartitionNodesRelayThroughANeighbourThatHearsTheLeader() {
    SimCluster c = new SimCluster(5, 5, 3, Map.of(), LinKvHandler::new);
    c.run(3000);
    String leader = c.ids.stream().filter(id -> ((LinKvHandler) c.handlers.get(id)).raft().isLeader()).findFirst().orElseThrow();
    List<String> ring = new ArrayList<>(c.ids);
    ring.remove(leader);
    ring.add(2, leader); // ring: r0 r1 L r3 r4 — L hears r1 and r3; r0 and r4 cannot reach L
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        int d = Math.abs(i - j);
        if (d == 2 || d == 3) c.drop(ring.get(i), ring.get(j));
      }
    }
    c.run(3000);
    assertTrue(((LinKvHandler) c.handlers.get(leader)).raft().isLeader(), "the ring keeps its leader");
    for (String far : List.of(ring.get(0), ring.get(4))) {
      ObjectNode w = Json.object();
      w.put("type", "write");
      w.put("key", 7);
      w.put("value", far.hashCode() % 100);
      long id = c.request("c9", far, w);
      c.run(500);
      assertEquals("write_ok", c.reply("c9", id).path("type").asText(), far + " relays to the leader");
      ObjectNode r = Json.object();
      r.put("type", "read");
      r.put("key", 7);
      long rid = c.request("c9", far, r);
      c.run(500);
      assertEquals(far.hashCode() % 100, c.reply("c9", rid).path("value").asInt());
    }
  }

  @Test
  void linearizableWithoutFaults() {
    List<Op> h = new ArrayList<>();
    Map<String, Object> stats = run(1, 5, 5, 5000, false, h);
    Map<String, Object> res = new LinKvChecker().check(CheckContext.forTest(5, Map.of()), new History(h));
    assertEquals(true, res.get("valid?"), String.valueOf(res));
    assertTrue((Double) stats.get("ok-fraction") > 0.5, "ok fraction " + stats);
    assertTrue(h.stream().anyMatch(o -> o.isOk() && o.f().equals("cas")), "some cas succeeded");
  }

  @Test
  void linearizableUnderRandomPartitions() {
    for (long seed = 1; seed <= 3; seed++) {
      List<Op> h = new ArrayList<>();
      run(seed, 5, 10, 8_000, true, h);
      Map<String, Object> res = new LinKvChecker().check(CheckContext.forTest(5, Map.of()), new History(h));
      assertEquals(true, res.get("valid?"), "seed " + seed + ": " + res);
      assertTrue(h.stream().filter(Op::isOk).count() > 100, "seed " + seed);
    }
  }
}
