package glomers.workloads.raft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.protocol.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import glomers.protocol.JsonLine;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A Raft server (Ongaro &amp; Ousterhout, "In Search of an Understandable Consensus Algorithm", plus the
 * thesis' pre-vote, check-quorum and ReadIndex), independent of the state machine it replicates.
 *
 * <p><b>Shape.</b> In the spirit of MicroRaft, the core is split by concern: this class owns the server
 * state (term, vote, role, log, commit/apply indexes), the role transitions, the single periodic tick
 * and the public API ({@link #propose}, {@link #linearizableRead}); {@link Election} handles pre-vote and
 * RequestVote, {@link Replication} handles AppendEntries on both sides, {@link ReadIndex} holds reads
 * waiting for leadership confirmation. Everything runs on the node's event-loop thread; timers and
 * randomness come only from the runtime, so a cluster of these runs deterministically on
 * {@code SimEventLoop}.
 *
 * <p><b>Transport.</b> Raft messages are one-way sends ({@code raft_*} types) whose answers are separate
 * one-way messages, not RPCs with timeouts: Raft already tolerates loss (heartbeats retransmit, elections
 * restart), so per-message timeouts would only add state.
 *
 * <p><b>Availability under partitions.</b> Maelstrom's partition nemesis isolates nodes for seconds at a
 * time. Without pre-vote an isolated node would keep incrementing its term and, on healing, depose a
 * perfectly good leader. With pre-vote a node only starts a real election after a majority confirmed it
 * has not heard from a leader recently. Check-quorum makes a leader cut off from the majority step down
 * after a maximum election timeout (and refuse new requests after a minimum one), so requests on the
 * minority side get a fast definite error 11 instead of a timeout. Nodes that cannot reach the leader
 * while a peer can (Maelstrom's {@code majorities-ring}) learn that peer as a relay from refused
 * pre-votes.
 *
 * <p><b>Client outcomes.</b> A proposal's future completes when the entry is applied locally. If the node
 * loses leadership meanwhile the proposal is <em>not</em> failed (the entry may still be committed by the
 * next leader); it completes when this node, now a follower, applies that index: with the result if the
 * entry there is still ours (same term), or with a definite error 11 if another leader's entry won.
 */
public final class RaftNode {
  final Node node;
  final StateMachine stateMachine;
  final RaftConfig config;
  final RaftLog log = new RaftLog();
  final Election election = new Election(this);
  final Replication replication = new Replication(this);
  final ReadIndex reads = new ReadIndex();

  Role role = Role.FOLLOWER;
  long term;
  String votedFor;
  /** The leader of {@link #term} when known (ourselves when leader). */
  String leaderId;
  long commitIndex;
  long lastApplied;
  /** When a follower last heard from the leader of its term (pre-vote "leader is alive" window). */
  long lastLeaderContactMs = Long.MIN_VALUE / 2;
  long electionDeadlineMs;
  /** When the periodic tick last ran (stall detection). */
  long lastTickMs;
  /** A peer that hears a leader we cannot reach, and when we learned it (see {@link #relay()}). */
  private String relayVia;
  private long relayAtMs;

  // leader state, valid while role == LEADER
  final Map<String, Peer> peers = new LinkedHashMap<>();
  /** Index of this leader's no-op; ReadIndex must not be below it. */
  long termStartIndex;
  /** Sequence number of the last AppendEntries sent in this term (ReadIndex confirmation). */
  long seq;
  boolean flushScheduled;
  boolean readRoundScheduled;

  private record Pending(long term, CompletableFuture<ObjectNode> future) {}

  private final Map<Long, Pending> pending = new HashMap<>();
  private RoleListener roleListener = (r, t, l) -> {};

  /** Observes role changes (tests, logging). */
  public interface RoleListener {
    void changed(Role role, long term, String leader);
  }

  public RaftNode(Node node, StateMachine stateMachine, RaftConfig config) {
    this.node = node;
    this.stateMachine = stateMachine;
    this.config = config;
  }

  /** Registers the Raft message handlers; call from {@code WorkloadHandler.install}. */
  public RaftNode install() {
    election.install();
    replication.install();
    node.onInit(this::start);
    return this;
  }

  public RaftNode onRoleChange(RoleListener l) {
    this.roleListener = l;
    return this;
  }

  private void start() {
    recover();
    lastTickMs = node.nowMillis();
    resetElectionDeadline();
    node.every(config.tickMs(), this::tick);
  }

  // ------------------------------------------------------------------ public API

  public boolean isLeader() {
    return role == Role.LEADER;
  }

  public Role role() {
    return role;
  }

  public long term() {
    return term;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long lastApplied() {
    return lastApplied;
  }

  public RaftLog raftLog() {
    return log;
  }

  /**
   * The leader to forward client requests to, or null if none is known or it has been silent for longer
   * than an election timeout (then a forwarded request would most likely time out; a definite error 11
   * is more useful to the client).
   */
  public String knownLeader() {
    if (role == Role.LEADER) return node.id();
    if (leaderId == null) return null;
    return node.nowMillis() - lastLeaderContactMs <= config.electionMinMs() ? leaderId : null;
  }

  /**
   * A peer that recently reported hearing a live leader we cannot hear ourselves (learned from refused
   * pre-votes), to relay client requests through; null when there is none or the hint is older than two
   * maximum election timeouts. Only useful when {@link #knownLeader()} is null.
   */
  public String relay() {
    if (relayVia == null || node.nowMillis() - relayAtMs > 2 * config.electionMaxMs()) return null;
    return relayVia;
  }

  void learnRelay(String via, String leader) {
    if (leader == null || leader.equals(node.id())) return;
    relayVia = via;
    relayAtMs = node.nowMillis();
  }

  /**
   * Leader: whether a majority (counting itself) answered within the last minimum election timeout. A
   * leader without it is probably on the minority side of a partition; refusing new requests with a
   * definite error 11 (nothing was appended) beats letting clients time out until check-quorum deposes
   * it. This is only an availability heuristic: safety never depends on it.
   */
  public boolean hasRecentQuorum() {
    return role == Role.LEADER && node.nowMillis() - quorumAckMs() <= config.electionMinMs();
  }

  /**
   * Appends a command (leader only) and completes with the state machine's reply once it is applied.
   * Throws error 11 right away when this node is not the leader (nothing was appended: definite).
   */
  public CompletableFuture<ObjectNode> propose(ObjectNode command) {
    if (role != Role.LEADER) throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "not the leader");
    if (!hasRecentQuorum()) throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "leader cut off from a majority");
    long index = appendEntry(new LogEntry(term, command));
    CompletableFuture<ObjectNode> f = new CompletableFuture<>();
    Pending displaced = pending.put(index, new Pending(term, f));
    // A client whose entry at this index was cut off by a log truncation (while we followed another
    // leader) waits here still; that entry can never commit now, so its failure is definite.
    if (displaced != null) {
      displaced.future.completeExceptionally(
          new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "superseded: entry at index " + index + " was truncated"));
    }
    if (peers.isEmpty()) advanceCommitIndex();
    scheduleFlush();
    return f;
  }

  /**
   * Completes (on the loop thread) when the local state machine reflects every write acknowledged
   * before this call, and leadership has been confirmed after it — see {@link ReadIndex}.
   */
  public CompletableFuture<Void> linearizableRead() {
    if (role != Role.LEADER) throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "not the leader");
    if (!hasRecentQuorum()) throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "leader cut off from a majority");
    long readIndex = Math.max(commitIndex, termStartIndex);
    CompletableFuture<Void> f = reads.await(seq + 1, readIndex);
    if (peers.isEmpty()) {
      reads.onQuorumSeq(Long.MAX_VALUE, lastApplied);
    } else if (!readRoundScheduled) {
      // One confirmation round for every read arriving in this turn of the loop.
      readRoundScheduled = true;
      node.after(0, () -> {
        readRoundScheduled = false;
        if (role == Role.LEADER) replication.broadcast(true);
      });
    }
    return f;
  }

  // ------------------------------------------------------------------ timers

  private void tick() {
    long now = node.nowMillis();
    // If this very tick is late, our own process was stalled (GC, JIT, a starved CPU on a loaded
    // machine) and the messages that arrived meanwhile are still queued behind us. Judging liveness
    // now would blame the others for our pause, so give the queue one tick to drain first.
    boolean stalled = now - lastTickMs > 5 * config.tickMs();
    lastTickMs = now;
    if (role == Role.LEADER) {
      replication.heartbeatIdlePeers(now);
      if (!stalled) checkQuorum(now);
    } else if (now >= electionDeadlineMs) {
      if (stalled) electionDeadlineMs = Math.max(electionDeadlineMs, now + config.tickMs());
      else election.startPreVote();
    }
  }

  /** When a majority (counting this leader) last acknowledged it: the majority-th latest ack time. */
  long quorumAckMs() {
    long[] acks = new long[peers.size() + 1];
    int i = 0;
    acks[i++] = Long.MAX_VALUE;
    for (Peer p : peers.values()) acks[i++] = p.lastAckMs;
    Arrays.sort(acks);
    return acks[acks.length - majority()];
  }

  void resetElectionDeadline() {
    long span = Math.max(1, config.electionMaxMs() - config.electionMinMs());
    electionDeadlineMs = node.nowMillis() + config.electionMinMs() + node.random().nextLong(span);
  }

  /**
   * Check-quorum: a leader that has not heard from a majority for a whole maximum election timeout steps
   * down — by then the majority side has elected someone else anyway.
   */
  private void checkQuorum(long now) {
    if (now - quorumAckMs() > config.electionMaxMs()) {
      node.log("raft: leader of term %d lost contact with a majority; stepping down", term);
      becomeFollower(term, null);
    }
  }

  void scheduleFlush() {
    if (flushScheduled || peers.isEmpty()) return;
    flushScheduled = true;
    // Batch every proposal made in this turn of the loop into one AppendEntries per follower.
    node.after(0, () -> {
      flushScheduled = false;
      if (role == Role.LEADER) replication.broadcast(false);
    });
  }

  // ------------------------------------------------------------------ role transitions

  int majority() {
    return node.nodeIds().size() / 2 + 1;
  }

  /** Adopts {@code newTerm} (clearing the vote if it is newer) and becomes a follower. */
  void becomeFollower(long newTerm, String leader) {
    boolean changed = role != Role.FOLLOWER || newTerm != term || (leader != null && !leader.equals(leaderId));
    if (newTerm > term) {
      term = newTerm;
      votedFor = null;
      saveTermVote();
    }
    Role old = role;
    role = Role.FOLLOWER;
    leaderId = leader;
    if (old == Role.LEADER) {
      peers.clear();
      reads.failAll("leadership lost");
    }
    if (old != Role.FOLLOWER) resetElectionDeadline();
    if (changed) roleListener.changed(role, term, leaderId);
  }

  void becomeLeader() {
    role = Role.LEADER;
    leaderId = node.id();
    peers.clear();
    long now = node.nowMillis();
    for (String id : node.otherNodeIds()) peers.put(id, new Peer(id, log.lastIndex(), now));
    seq = 0;
    // The no-op commits entries of earlier terms (which a leader may not count replicas for, §5.4.2)
    // and marks where ReadIndex may start.
    termStartIndex = appendEntry(new LogEntry(term, null));
    node.log("raft: leader of term %d (log %d, commit %d)", term, log.lastIndex(), commitIndex);
    roleListener.changed(role, term, leaderId);
    if (peers.isEmpty()) advanceCommitIndex();
    replication.broadcast(true);
  }

  // ------------------------------------------------------------------ commit and apply

  /** Leader: commit the highest index replicated on a majority, but only if it is from the current term. */
  void advanceCommitIndex() {
    long[] match = new long[peers.size() + 1];
    int i = 0;
    match[i++] = log.lastIndex();
    for (Peer p : peers.values()) match[i++] = p.matchIndex;
    Arrays.sort(match);
    long n = match[match.length - majority()];
    if (n > commitIndex && log.termAt(n) == term) {
      commitIndex = n;
      applyCommitted();
    }
  }

  /**
   * Applies committed entries in log order and answers the proposals and reads waiting on them, once a
   * sync covers everything this node wrote (the leader counts its own copy of an entry towards the
   * majority before it is durable, so nothing may leave before it is).
   */
  void applyCommitted() {
    List<Runnable> answers = new ArrayList<>();
    while (lastApplied < commitIndex) {
      long index = ++lastApplied;
      LogEntry e = log.get(index);
      ObjectNode result = null;
      RpcException error = null;
      if (e.command() != null) {
        try {
          result = stateMachine.apply(e.command());
        } catch (RpcException ex) {
          error = ex;
        }
      }
      Pending p = pending.remove(index);
      if (p == null) continue;
      RpcException failure = error;
      ObjectNode reply = result;
      if (p.term != e.term()) {
        answers.add(() -> p.future.completeExceptionally(
            new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "superseded: another leader's entry was committed at index " + index)));
      } else if (failure != null) {
        answers.add(() -> p.future.completeExceptionally(failure));
      } else {
        answers.add(() -> p.future.complete(reply));
      }
    }
    long applied = lastApplied;
    node.storage().sync(() -> {
      answers.forEach(Runnable::run);
      reads.onApplied(applied);
    });
  }

  // ------------------------------------------------------------------ durable state

  /*
   * Raft's persistent state (term, vote, log) is written before anything relies on it: every message this
   * node sends, and every answer to a client, waits for a sync that covers all it wrote before (Figure 2
   * of the Raft paper: "updated on stable storage before responding to RPCs"). Records: "T term vote",
   * "A index term command", "X index" (truncate from).
   */

  /** Sends a Raft message once everything written so far is durable. */
  void send(String dest, ObjectNode body) {
    node.storage().sync(() -> node.send(dest, body));
  }

  void saveTermVote() {
    write("T " + term + " " + (votedFor == null ? "-" : votedFor));
  }

  long appendEntry(LogEntry e) {
    long index = log.append(e);
    write("A " + index + " " + e.term() + " " + (e.command() == null ? "null" : JsonLine.write(e.command())));
    return index;
  }

  void truncateFrom(long index) {
    log.truncateFrom(index);
    write("X " + index);
  }

  private void write(String record) {
    node.storage().append(record.getBytes(StandardCharsets.UTF_8));
  }

  /** Rebuilds term, vote and log from what an earlier life of this node made durable. */
  private void recover() {
    for (byte[] rec : node.storage().recovered()) {
      String[] f = new String(rec, StandardCharsets.UTF_8).split(" ", 4);
      switch (f[0]) {
        case "T" -> {
          term = Long.parseLong(f[1]);
          votedFor = f[2].equals("-") ? null : f[2];
        }
        case "A" -> {
          long index = Long.parseLong(f[1]);
          if (index <= log.lastIndex()) log.truncateFrom(index);
          ObjectNode command = null;
          if (!f[3].equals("null")) {
            try {
              command = (ObjectNode) JsonLine.parseTree(f[3]);
            } catch (Exception ex) {
              throw new IllegalStateException("unreadable raft record", ex);
            }
          }
          log.append(new LogEntry(Long.parseLong(f[2]), command));
        }
        case "X" -> log.truncateFrom(Long.parseLong(f[1]));
        default -> throw new IllegalStateException("unknown raft record " + f[0]);
      }
    }
    if (log.lastIndex() > 0 || term > 0) node.log("raft: recovered term %d, vote %s, log %d", term, votedFor, log.lastIndex());
  }

  /** Leader: recompute which reads a majority has confirmed. */
  void onAck() {
    if (!reads.hasUnconfirmed()) return;
    long[] acked = new long[peers.size() + 1];
    int i = 0;
    acked[i++] = Long.MAX_VALUE;
    for (Peer p : peers.values()) acked[i++] = p.ackedSeq;
    Arrays.sort(acked);
    reads.onQuorumSeq(acked[acked.length - majority()], lastApplied);
  }
}
