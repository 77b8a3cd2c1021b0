package glomers.workloads.linkv;

import static glomers.sim.SimTestCluster.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.harness.run.HarnessRunner;
import glomers.node.WorkloadHandler;
import glomers.sim.SimTestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft key-value store under the harness's lin-kv test on the simulation (its generator, clients,
 * partition nemesis and linearizability checker), and a ring partition driven by hand.
 */
class LinKvSimTest {
  @TempDir Path store;

  private HarnessRunner.Result run(Supplier<WorkloadHandler> handler, long seed, String more) {
    return SimTestCluster.test(store, "-w lin-kv --node-count 5 --concurrency 10 --rate 100 --seed "
        + seed + " " + more, handler, Map.of());
  }

  @Test
  void mutantsAreRejected() {
    for (var mutant : List.<Supplier<WorkloadHandler>>of(
        glomers.mutants.linkv.StaleCacheReadNode::new, glomers.mutants.linkv.CasIgnoresFromNode::new)) {
      HarnessRunner.Result r = run(mutant, 1, "--latency 5 --time-limit 5");
      assertEquals(false, result(r, "workload", "valid?"), mutant.get().getClass().getSimpleName());
    }
  }

  @Test
  void ringPartitionNodesRelayThroughANeighbourThatHearsTheLeader() {
    try (SimTestCluster c = SimTestCluster.builder(5, LinKvHandler::new).latency(5).seed(3).start()) {
      c.run(3000);
      String leader = c.ids().stream().filter(id -> c.<LinKvHandler>handler(id).raft().isLeader()).findFirst().orElseThrow();
      List<String> ring = new ArrayList<>(c.ids());
      ring.remove(leader);
      ring.add(2, leader); // ring: r0 r1 L r3 r4 — L hears r1 and r3; r0 and r4 cannot reach L
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
          int d = Math.abs(i - j);
          if (d == 2 || d == 3) c.drop(ring.get(i), ring.get(j));
        }
      }
      c.run(3000);
      assertTrue(c.<LinKvHandler>handler(leader).raft().isLeader(), "the ring keeps its leader");
      for (String far : List.of(ring.get(0), ring.get(4))) {
        int v = far.hashCode() % 100;
        JsonNode w = c.call(far, "{\"type\":\"write\",\"key\":7,\"value\":" + v + "}", 500);
        assertEquals("write_ok", w == null ? null : w.path("type").asText(), far + " relays to the leader");
        JsonNode r = c.call(far, "{\"type\":\"read\",\"key\":7}", 500);
        assertEquals(v, r.path("value").asInt());
      }
    }
  }

  @Test
  void linearizableWithoutFaults() {
    HarnessRunner.Result r = run(LinKvHandler::new, 1, "--latency 5 --time-limit 5");
    assertEquals(0, r.exitCode(), () -> String.valueOf(r.results()));
    assertTrue(((Number) result(r, "availability", "ok-fraction")).doubleValue() > 0.5, () -> String.valueOf(r.results()));
    assertTrue(((Number) result(r, "stats", "by-f", "cas", "ok-count")).longValue() > 0, "some cas succeeded");
  }

  @Test
  void linearizableUnderRandomPartitions() {
    for (long seed = 1; seed <= 3; seed++) {
      HarnessRunner.Result r = run(LinKvHandler::new, seed, "--latency 10 --time-limit 8 --nemesis partition --nemesis-interval 2");
      long s = seed;
      assertEquals(0, r.exitCode(), () -> "seed " + s + ": " + r.results());
      assertTrue(((Number) result(r, "stats", "ok-count")).longValue() > 100, "seed " + seed);
    }
  }
}
