package glomers.workloads.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.workload.GenContext;
import glomers.harness.workload.Generator;
import glomers.harness.workload.MalformedReplyException;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import glomers.harness.workload.TestSpec;
import glomers.harness.workload.WorkloadClient;
import glomers.harness.workload.kafka.KafkaWorkload;
import glomers.mutants.kafka.KafkaMutant;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The whole kafka pipeline in virtual time, without processes: the harness's {@link KafkaWorkload}
 * (generator, client state machine, final phase, checker) drives a {@link SimCluster} of nodes. Workers
 * take turns one op at a time (so there is no real concurrency), which is enough to exercise every rule
 * of the checker against the real node and against the mutants.
 */
class KafkaSimEndToEndTest {
  /** An {@link RpcClient} that sends into the simulated cluster and runs virtual time until the reply. */
  static final class SimRpc implements RpcClient {
    final SimCluster c;
    final String node;

    SimRpc(SimCluster c, String node) {
      this.c = c;
      this.node = node;
    }

    @Override public String node() { return node; }
    @Override public String id() { return "c1"; }

    @Override
    public Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
        throws RpcTimeoutException, RpcErrorException, MalformedReplyException {
      long id = c.request(node, (ObjectNode) Json.MAPPER.valueToTree(body));
      for (long t = 0; t < timeoutMillis && !c.replies.containsKey(id); t++) c.loop.runFor(1);
      JsonNode r = c.replies.get(id);
      if (r == null) throw new RpcTimeoutException("timeout");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.toPlain(r);
      if ("error".equals(m.get("type"))) {
        throw new RpcErrorException(((Number) m.get("code")).longValue(), (String) m.get("text"), m);
      }
      String v = schema.violations(m);
      if (v != null) throw new MalformedReplyException(v, m);
      return m;
    }
  }

  /** Runs ~opCount main-phase ops at ~1 op per virtual ms, then the final phase; returns the checker result. */
  static Map<String, Object> run(int nodes, Supplier<WorkloadHandler> handler, int opCount, long seed) throws Exception {
    return run(nodes, handler, Map.of(), opCount, seed);
  }

  static Map<String, Object> run(int nodes, Supplier<WorkloadHandler> handler, Map<String, String> settings, int opCount,
      long seed) throws Exception {
    return run(new SimCluster(nodes, handler, settings), nodes, opCount, seed, false);
  }

  /**
   * With {@code crashes}, a random node restarts on its synced disk every 200 ops, half of the time the
   * instant it acknowledges a send (the worst moment).
   */
  static Map<String, Object> run(SimCluster c, int nodes, int opCount, long seed, boolean crashes) throws Exception {
    SplittableRandom faults = new SplittableRandom(seed * 31);
    java.util.Set<String> armed = new java.util.HashSet<>();
    c.crashOnAck = armed::remove;
    TestSpec spec = TestSpec.builder().nodeCount(nodes).concurrency("2n").seed(seed).build();
    KafkaWorkload w = new KafkaWorkload();
    int conc = spec.concurrency();
    long[] process = new long[conc];
    WorkloadClient[] clients = new WorkloadClient[conc];
    for (int i = 0; i < conc; i++) {
      process[i] = i;
      clients[i] = w.newClient(spec);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Op> history = new ArrayList<>();
    Generator main = w.generator(spec);
    for (int i = 0; i < opCount; i++) {
      if (crashes && i % 200 == 100) {
        String victim = spec.nodeIds().get(faults.nextInt(nodes));
        if (faults.nextBoolean()) armed.add(victim); else c.restart(victim);
      }
      step(c, spec, w, main, i % conc, process, clients, rnd, history);
    }
    armed.clear();
    c.loop.runFor(1000);
    Generator fin = w.finalGenerator(spec);
    boolean[] done = new boolean[conc];
    long deadline = c.loop.nowMillis() + 10_000;
    while (c.loop.nowMillis() < deadline) {
      boolean all = true;
      for (int t = 0; t < conc; t++) {
        if (done[t]) continue;
        all = false;
        done[t] = !step(c, spec, w, fin, t, process, clients, rnd, history);
      }
      if (all) break;
      c.loop.runFor(5);
    }
    return w.checker(spec).check(CheckContext.forTest(nodes, Map.of()), new History(history));
  }

  /** One op for worker t; false when its generator is done. */
  static boolean step(SimCluster c, TestSpec spec, KafkaWorkload w, Generator g, int t, long[] process,
      WorkloadClient[] clients, SplittableRandom rnd, List<Op> history) throws Exception {
    GenContext ctx = GenContext.of(spec, t, process[t], c.loop.nowMillis() * 1_000_000, rnd);
    Op op = g.next(ctx);
    if (op == null) return false;
    if (op == Generator.PENDING) return true;
    Op inv = Op.invoke(process[t], op.f(), op.value());
    for (Map.Entry<String, Object> e : op.extra().entrySet()) inv = inv.withExtra(e.getKey(), e.getValue());
    history.add(inv.withTime(c.loop.nowMillis() * 1_000_000));
    Op done = clients[t].invoke(inv, new SimRpc(c, spec.nodeIds().get(t % spec.nodeIds().size())));
    c.loop.runFor(1);
    done = done.withTime(c.loop.nowMillis() * 1_000_000);
    history.add(done);
    g.update(done);
    if (done.isInfo()) {
      process[t] += spec.concurrency();
      clients[t] = w.newClient(spec); // kafka clients are not reusable
    }
    return true;
  }

  @Test
  void realNodeIsValidOnOneTwoAndThreeNodesInBothModes() throws Exception {
    for (String mode : List.of("clock", "owner")) {
      for (int n = 1; n <= 3; n++) {
        Map<String, Object> r = run(n, KafkaHandler::new, Map.of("mode", mode), 3000, n);
        assertEquals(true, r.get("valid?"), mode + " n=" + n + ": " + r);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> errorTypes(Map<String, Object> r) {
    return (List<String>) r.get("error-types");
  }

  @Test
  void controlMutantIsValid() throws Exception {
    assertEquals(true, run(1, () -> new KafkaMutant("ok"), 2000, 5).get("valid?"));
  }

  @Test
  void skippingPollsAreCaught() throws Exception {
    Map<String, Object> r = run(1, () -> new KafkaMutant("skip"), 2000, 5);
    assertEquals(false, r.get("valid?"));
    assertTrue(errorTypes(r).contains("poll-skip"), () -> errorTypes(r).toString());
  }

  @Test
  void droppedAcknowledgedSendsAreCaught() throws Exception {
    Map<String, Object> r = run(1, () -> new KafkaMutant("drop"), 2000, 5);
    assertEquals(false, r.get("valid?"));
    assertTrue(errorTypes(r).contains("unseen"), () -> errorTypes(r).toString());
  }

  @Test
  void sharedOffsetsAreCaught() throws Exception {
    Map<String, Object> r = run(1, () -> new KafkaMutant("dup-offset"), 2000, 5);
    assertEquals(false, r.get("valid?"));
    assertTrue(errorTypes(r).contains("inconsistent-offsets"), () -> errorTypes(r).toString());
  }

  /** Nodes restart on their synced disk: no acknowledged send lost, no offset reused, no commit going back. */
  @Test
  void realNodeIsValidThroughCrashes() throws Exception {
    for (String mode : List.of("clock", "owner")) {
      for (long seed = 1; seed <= 3; seed++) {
        SimCluster c = new SimCluster(3, KafkaHandler::new, Map.of("mode", mode));
        Map<String, Object> r = run(c, 3, 3000, seed, true);
        assertTrue(c.crashes >= 10, "crashes " + c.crashes);
        assertEquals(true, r.get("valid?"), mode + " seed " + seed + ": " + r);
      }
    }
  }

  /** A third of the node-to-node messages arrive twice, later, while nodes crash: still valid. */
  @Test
  void duplicatedMessagesChangeNothing() throws Exception {
    for (String mode : List.of("clock", "owner")) {
      SimCluster c = new SimCluster(3, KafkaHandler::new, Map.of("mode", mode));
      c.duplicate = 0.33;
      Map<String, Object> r = run(c, 3, 3000, 4, true);
      assertEquals(true, r.get("valid?"), mode + ": " + r);
    }
  }

  /** A node whose disk forgets its appends restarts its offsets from scratch: caught with crashes only. */
  @Test
  void aNodeReusingOffsetsAfterARestartIsCaught() throws Exception {
    SimCluster healthy = new SimCluster(3, KafkaHandler::new, Map.of());
    healthy.disk(glomers.mutants.kafka.ForgetsItsLog::new);
    assertEquals(true, run(healthy, 3, 3000, 1, false).get("valid?"), "without crashes");
    SimCluster c = new SimCluster(3, KafkaHandler::new, Map.of());
    c.disk(glomers.mutants.kafka.ForgetsItsLog::new);
    Map<String, Object> r = run(c, 3, 3000, 1, true);
    assertEquals(false, r.get("valid?"), r::toString);
    // a reused offset shows as two messages at one offset, or as the earlier message lost from it
    assertTrue(errorTypes(r).contains("inconsistent-offsets") || errorTypes(r).contains("lost-write"), () -> errorTypes(r).toString());
  }
}
