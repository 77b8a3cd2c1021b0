package glomers.workloads.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.mutants.raft.ForgetsItsVote;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.storage.MemoryStorage;
import glomers.node.storage.Storage;
import glomers.protocol.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Raft's persistent state across a crash of one node (n1 of n0, n1, n2), driven message by message. */
class RaftCrashTest {
  final SimEventLoop loop = new SimEventLoop();
  final List<JsonNode> out = new ArrayList<>();
  MemoryStorage memory;
  RaftTest.TestHandler handler;

  /** Starts n1 on {@code disk} (wrapped), initialised; its election timer is far away. */
  void start(MemoryStorage.Disk disk, UnaryOperator<Storage> wrap) {
    NodeRuntime rt = new NodeRuntime(loop, line -> {
      try {
        out.add(Json.parseTree(line));
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }, new SplittableRandom(1), Map.of("election-min-ms", "100000", "election-max-ms", "100001"),
        new PrintStream(OutputStream.nullOutputStream()));
    memory = new MemoryStorage(loop, disk);
    Storage s = wrap.apply(memory);
    rt.storage(x -> s);
    handler = new RaftTest.TestHandler();
    rt.install(handler);
    rt.deliver("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n0\",\"n1\",\"n2\"]}}");
    loop.runFor(0);
    this.rt = rt;
  }

  NodeRuntime rt;

  /** Asks n1 for its vote in {@code term} on behalf of {@code candidate}; returns whether it granted it. */
  boolean vote(String candidate, long term) {
    out.clear();
    rt.deliver("{\"src\":\"" + candidate + "\",\"dest\":\"n1\",\"body\":{\"type\":\"raft_vote\",\"term\":" + term
        + ",\"last_log_term\":0,\"last_log_index\":0}}");
    loop.runFor(0);
    JsonNode res = out.stream().filter(m -> m.path("body").path("type").asText().equals("raft_vote_res")).findFirst().orElse(null);
    assertNotNull(res, "no vote answer");
    return res.get("body").get("granted").asBoolean();
  }

  /** Votes for n0 in term 5, crashes, restarts on its disk; returns whether it then votes for n2 in term 5. */
  boolean votesTwiceInOneTerm(UnaryOperator<Storage> wrap) {
    start(MemoryStorage.Disk.empty(), wrap);
    assertEquals(true, vote("n0", 5));
    MemoryStorage.Disk disk = memory.crash(); // the instant after the answer left
    start(disk, wrap);
    return vote("n2", 5);
  }

  @Test
  void aVoteAndTheLogSurviveACrash() {
    assertEquals(false, votesTwiceInOneTerm(UnaryOperator.identity()), "one vote per term, across lives");
    assertEquals(5, handler.raft.term());
    // entries from a leader, acknowledged, survive too
    rt.deliver("{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{\"type\":\"raft_append\",\"term\":5,\"prev_index\":0,"
        + "\"prev_term\":0,\"commit\":0,\"seq\":1,\"entries\":[{\"t\":5,\"c\":{\"k\":1}},{\"t\":5}]}}");
    loop.runFor(0);
    assertEquals(2, handler.raft.raftLog().lastIndex());
    start(memory.crash(), UnaryOperator.identity());
    assertEquals(2, handler.raft.raftLog().lastIndex());
    assertEquals(5, handler.raft.raftLog().termAt(1));
    assertEquals(5, handler.raft.term());
  }

  @Test
  void aNodeThatDoesNotPersistItsVoteVotesTwiceInOneTerm() {
    start(MemoryStorage.Disk.empty(), ForgetsItsVote::new);
    assertEquals(true, vote("n0", 5));
    assertEquals(false, vote("n2", 5), "without a crash the mutant keeps its vote");
    assertEquals(true, votesTwiceInOneTerm(ForgetsItsVote::new), "after a crash it votes again");
  }
}
