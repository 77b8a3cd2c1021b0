package glomers.workloads.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.NodeRuntime;
import glomers.node.RpcException;
import glomers.node.SimEventLoop;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import glomers.sim.SimTestCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Election, log matching, commit rules and leader change, on the simulation engine with partitions. */
class RaftTest {
  /** Records every applied command, in order. */
  static final class Recorder implements StateMachine {
    final List<String> applied = new ArrayList<>();

    @Override
    public ObjectNode apply(ObjectNode command) {
      applied.add(command.path("v").asText());
      ObjectNode r = Json.object();
      r.put("type", "ok");
      r.put("n", applied.size());
      return r;
    }
  }

  static final class TestHandler implements WorkloadHandler {
    final Recorder sm = new Recorder();
    RaftNode raft;

    @Override
    public void install(Node node) {
      raft = new RaftNode(node, sm, RaftConfig.from(node.settings())).install();
    }
  }

  private static SimTestCluster cluster(int n, long seed) {
    return SimTestCluster.builder(n, TestHandler::new).latency(5).seed(seed).start();
  }

  private static RaftNode raft(SimTestCluster c, String id) {
    return c.<TestHandler>handler(id).raft;
  }

  private static Recorder sm(SimTestCluster c, String id) {
    return c.<TestHandler>handler(id).sm;
  }

  private static List<String> leaders(SimTestCluster c) {
    return c.ids().stream().filter(id -> raft(c, id).isLeader()).collect(Collectors.toList());
  }

  private static String leader(SimTestCluster c) {
    List<String> l = leaders(c);
    assertEquals(1, l.size(), "exactly one leader expected, got " + l);
    return l.get(0);
  }

  private static ObjectNode cmd(String v) {
    ObjectNode o = Json.object();
    o.put("v", v);
    return o;
  }

  /** Log Matching: if two logs have the same term at an index, they are identical up to it. */
  private static void assertLogMatching(SimTestCluster c) {
    for (String a : c.ids()) {
      for (String b : c.ids()) {
        RaftLog la = raft(c, a).raftLog(), lb = raft(c, b).raftLog();
        long n = Math.min(la.lastIndex(), lb.lastIndex());
        boolean same = true;
        for (long i = n; i >= 1; i--) {
          if (la.termAt(i) == lb.termAt(i)) same = true;
          if (same && la.termAt(i) == lb.termAt(i)) {
            assertEquals(String.valueOf(la.get(i).command()), String.valueOf(lb.get(i).command()), a + " vs " + b + " at " + i);
          } else {
            same = false;
          }
        }
      }
    }
  }

  /** State machine safety: applied sequences are prefixes of each other. */
  private static void assertAppliedPrefixes(SimTestCluster c) {
    List<String> longest = List.of();
    for (String id : c.ids()) if (sm(c, id).applied.size() > longest.size()) longest = sm(c, id).applied;
    for (String id : c.ids()) {
      List<String> mine = sm(c, id).applied;
      assertEquals(longest.subList(0, mine.size()), mine, id + " applied a different sequence");
    }
  }

  @Test
  void electsExactlyOneLeaderThatEveryoneFollows() {
    for (long seed = 1; seed <= 5; seed++) {
      SimTestCluster c = cluster(5, seed);
      c.run(3000);
      String l = leader(c);
      long term = raft(c, l).term();
      for (String id : c.ids()) {
        assertEquals(term, raft(c, id).term(), "term of " + id);
        assertEquals(l, raft(c, id).knownLeader(), "leader known to " + id);
      }
      // A stable cluster does not hold more elections.
      c.run(5000);
      assertEquals(l, leader(c));
      assertEquals(term, raft(c, l).term());
    }
  }

  @Test
  void replicatesAndAppliesInTheSameOrderEverywhere() {
    SimTestCluster c = cluster(5, 7);
    c.run(3000);
    String l = leader(c);
    List<CompletableFuture<ObjectNode>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String v = "x" + i;
      fs.add(c.step(() -> raft(c, l).propose(cmd(v))));
      if (i % 3 == 0) c.run(1);
    }
    c.run(1000);
    for (int i = 0; i < 20; i++) assertTrue(fs.get(i).isDone() && !fs.get(i).isCompletedExceptionally(), "proposal " + i);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) expected.add("x" + i);
    for (String id : c.ids()) assertEquals(expected, sm(c, id).applied, "applied on " + id);
    assertLogMatching(c);
  }

  @Test
  void isolatedLeaderStepsDownMajorityElectsNewOneAndLogsConvergeAfterHeal() {
    SimTestCluster c = cluster(5, 11);
    c.run(3000);
    String old = leader(c);
    long oldTerm = raft(c, old).term();
    c.partition(Set.of(old));
    // Proposed on the isolated leader before it notices: can never commit with this leader.
    CompletableFuture<ObjectNode> doomed = c.step(() -> raft(c, old).propose(cmd("lost")));
    c.run(3000);
    assertFalse(raft(c, old).isLeader(), "check-quorum must depose the isolated leader");
    assertEquals(oldTerm, raft(c, old).term(), "pre-vote keeps the isolated node's term from growing");
    String neu = leader(c);
    assertNotEquals(old, neu);
    assertTrue(raft(c, neu).term() > oldTerm);
    CompletableFuture<ObjectNode> kept = c.step(() -> raft(c, neu).propose(cmd("kept")));
    c.run(500);
    assertTrue(kept.isDone() && !kept.isCompletedExceptionally());
    assertFalse(doomed.isDone(), "the isolated leader cannot know the fate of its entry yet");

    c.heal();
    c.run(2000);
    assertEquals(neu, leader(c), "healing must not depose the majority's leader");
    assertTrue(doomed.isCompletedExceptionally());
    RpcException e = (RpcException) doomed.handle((v, t) -> t instanceof RpcException r ? r : (RpcException) t.getCause()).join();
    assertEquals(11, e.code(), "an entry overwritten by another leader definitely did not happen");
    for (String id : c.ids()) {
      assertTrue(sm(c, id).applied.contains("kept"), id);
      assertFalse(sm(c, id).applied.contains("lost"), id);
    }
    assertLogMatching(c);
    assertAppliedPrefixes(c);
  }

  @Test
  void followerWithLongConflictingSuffixCatchesUpWithFewRoundTrips() {
    // A (old leader) is cut off and appends 200 entries nobody else has. X leads the rest, appends 300,
    // then is cut off too; Y is elected with a 300-entry-longer log, so its nextIndex for A starts far
    // beyond A's log and A's suffix conflicts: without the conflict hints this takes ~100 round trips.
    SimTestCluster c = cluster(5, 5);
    c.run(3000);
    String a = leader(c);
    c.isolate(a);
    for (int i = 0; i < 200; i++) {
      String v = "stale" + i;
      c.step(() -> raft(c, a).propose(cmd(v)));
    }
    c.run(3000);
    String x = leader(c);
    for (int i = 0; i < 300; i++) {
      String v = "new" + i;
      c.step(() -> raft(c, x).propose(cmd(v)));
    }
    c.run(1000);
    c.isolate(x);
    c.run(3000);
    String y = c.ids().stream().filter(id -> raft(c, id).isLeader() && !id.equals(a) && !id.equals(x)).findFirst().orElseThrow();
    c.heal();
    c.isolate(x);
    long before = c.serverMessages();
    c.run(100); // 10 round trips of 10 ms
    long used = c.serverMessages() - before;
    assertEquals(raft(c, y).raftLog().lastIndex(), raft(c, a).raftLog().lastIndex(), "caught up within 100 ms");
    assertTrue(used < 30, "fast back-off: " + used + " messages");
    c.run(300);
    assertLogMatching(c);
    assertAppliedPrefixes(c);
    assertEquals(300, sm(c, a).applied.size());
  }

  /** Node n0 of a three-node cluster whose peers are absent: its state is set by hand, messages are fed in. */
  private record Lone(SimEventLoop loop, NodeRuntime runtime, TestHandler handler) {
    void deliver(String line) {
      runtime.deliver(line);
      loop.runFor(1);
    }
  }

  private static Lone lone() {
    SimEventLoop loop = new SimEventLoop();
    NodeRuntime rt = new NodeRuntime(loop, l -> {}, new SplittableRandom(1), Map.of(), new PrintStream(OutputStream.nullOutputStream()));
    Lone n0 = new Lone(loop, rt, new TestHandler());
    rt.install(n0.handler);
    n0.deliver("{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\",\"n1\",\"n2\"]}}");
    return n0;
  }

  @Test
  void leaderCommitsOnlyEntriesOfItsOwnTermByCounting() {
    // Raft §5.4.2 / Figure 8: an entry from an earlier term replicated on a majority is NOT committed by
    // counting replicas; only once an entry of the current term is, does it become committed with it.
    Lone n0 = lone();
    TestHandler h = n0.handler;
    RaftNode r = h.raft;
    r.log.append(new LogEntry(1, cmd("a")));
    r.log.append(new LogEntry(2, cmd("b")));
    r.term = 3;
    r.role = Role.LEADER;
    r.peers.put("n1", new Peer("n1", 2, 0));
    r.peers.put("n2", new Peer("n2", 2, 0));
    r.peers.get("n1").matchIndex = 2;
    r.advanceCommitIndex();
    assertEquals(0, r.commitIndex(), "index 2 (term 2) is on a majority but must not be committed in term 3");
    r.log.append(new LogEntry(3, cmd("c")));
    r.advanceCommitIndex();
    assertEquals(0, r.commitIndex(), "index 3 is only on the leader");
    r.peers.get("n1").matchIndex = 3;
    r.advanceCommitIndex();
    assertEquals(3, r.commitIndex());
    assertEquals(List.of("a", "b", "c"), h.sm.applied);
  }

  /** Error 11 of a proposal that failed, or null if it completed normally or has not completed. */
  private static Long failure(CompletableFuture<ObjectNode> f) {
    if (!f.isCompletedExceptionally()) return null;
    return f.handle((v, t) -> (t instanceof RpcException r ? r : (RpcException) t.getCause()).code()).join();
  }

  @Test
  void aProposalWhoseEntryWasTruncatedFailsDefinitelyWhenItsIndexIsReused() {
    // n0 leads term 1 and appends x, y, w (indexes 2–4) that reach nobody. n1's term-2 entry at index 2
    // truncates all three; n0 then leads term 3 (no-op at 3) and its next proposal lands at index 4,
    // where w's client still waits. w can never commit now: its client must get error 11, not silence.
    Lone n0 = lone();
    TestHandler h = n0.handler;
    RaftNode r = h.raft;
    r.term = 1;
    r.becomeLeader();
    CompletableFuture<ObjectNode> x = r.propose(cmd("x")), y = r.propose(cmd("y")), w = r.propose(cmd("w"));
    assertEquals(4, r.raftLog().lastIndex());

    n0.deliver("{\"src\":\"n1\",\"dest\":\"n0\",\"body\":{\"type\":\"raft_append\",\"term\":2,\"prev_index\":1,"
        + "\"prev_term\":1,\"commit\":0,\"seq\":1,\"entries\":[{\"t\":2}]}}");
    assertEquals(Role.FOLLOWER, r.role());
    assertEquals(2, r.raftLog().lastIndex(), "n1's entry at index 2 truncated x, y and w");

    r.term = 3;
    r.becomeLeader();
    assertEquals(3, r.raftLog().lastIndex(), "the new term's no-op takes index 3");
    assertFalse(w.isDone(), "nothing has told w's client yet");
    CompletableFuture<ObjectNode> z = r.propose(cmd("z"));
    assertEquals(4, r.raftLog().lastIndex());
    assertEquals(11L, failure(w), "the proposal displaced from index 4 fails at once, definitely");

    for (String p : List.of("n1", "n2")) r.peers.get(p).matchIndex = 4;
    r.advanceCommitIndex();
    n0.loop().runFor(0); // answers leave once a sync covers what the node wrote
    assertEquals(11L, failure(x), "index 2 holds n1's entry");
    assertEquals(11L, failure(y), "index 3 holds the term-3 no-op");
    assertTrue(z.isDone() && failure(z) == null, "z committed");
    assertEquals(List.of("z"), h.sm.applied);
  }

  @Test
  void deposedLeaderNeverServesAReadAndTheMajorityKeepsWorking() {
    SimTestCluster c = cluster(5, 3);
    c.run(3000);
    String old = leader(c);
    c.partition(Set.of(old));
    CompletableFuture<Void> read = c.step(() -> raft(c, old).linearizableRead());
    c.run(3000);
    assertTrue(read.isCompletedExceptionally(), "a leader without a majority must not confirm a read");
    String neu = leader(c);
    CompletableFuture<Void> read2 = c.step(() -> raft(c, neu).linearizableRead());
    c.run(100);
    assertTrue(read2.isDone() && !read2.isCompletedExceptionally());
  }

  @Test
  void electionsSurviveRepeatedRandomPartitions() {
    SimTestCluster c = cluster(5, 99);
    SplittableRandom rnd = new SplittableRandom(42);
    int done = 0;
    List<CompletableFuture<ObjectNode>> fs = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      Set<String> side = c.ids().stream().filter(x -> rnd.nextBoolean()).collect(Collectors.toSet());
      if (round % 2 == 0) c.partition(side);
      else c.heal();
      for (int t = 0; t < 50; t++) {
        for (String id : c.ids()) {
          if (raft(c, id).isLeader()) {
            try {
              String v = "r" + round + "-" + t + "-" + id;
              fs.add(c.step(() -> raft(c, id).propose(cmd(v))));
            } catch (RpcException e) {
              assertEquals(11, e.code()); // a leader cut off from the majority refuses new work
            }
          }
        }
        c.run(20);
      }
      assertAppliedPrefixes(c);
    }
    c.heal();
    c.run(3000);
    for (var f : fs) if (f.isDone() && !f.isCompletedExceptionally()) done++;
    assertTrue(done > 100, "only " + done + " proposals succeeded");
    assertNotNull(leader(c));
    assertLogMatching(c);
    assertAppliedPrefixes(c);
    // Every acknowledged proposal is applied everywhere after healing (no acknowledged write is lost).
    for (String id : c.ids()) assertEquals(sm(c, leader(c)).applied.size(), sm(c, id).applied.size(), id);
  }
}
