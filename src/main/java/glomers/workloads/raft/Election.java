package glomers.workloads.raft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Message;
import java.util.HashSet;
import java.util.Set;

/**
 * Leader election: pre-vote, then RequestVote (Raft §5.2, §5.4.1; thesis §9.6).
 *
 * <p>When its election timer fires a follower first runs a <em>pre-vote</em> for {@code term + 1}
 * without changing any state. A peer grants it only if it has not heard from a live leader within the
 * minimum election timeout and the candidate's log is at least as up to date as its own. Only with a
 * majority of pre-votes does the node increment its term and ask for real votes. Consequently a node cut
 * off by a partition never inflates its term and cannot disrupt the cluster when the partition heals.
 *
 * <p>A pre-vote refused because the peer hears a live leader also names that leader. The candidate
 * cannot reach it — typical of Maelstrom's {@code majorities-ring} partition, where each node sees a
 * different majority — but it can relay client requests through that peer (see
 * {@link RaftNode#relay()}).
 *
 * <p>Real votes follow the paper: one vote per term, first come first served, only for candidates whose
 * log is at least as up to date (last term, then length), which guarantees the Leader Completeness
 * property: a leader holds every committed entry.
 */
final class Election {
  private final RaftNode r;
  private final Set<String> grants = new HashSet<>();

  Election(RaftNode r) {
    this.r = r;
  }

  void install() {
    r.node.on("raft_pre_vote", this::onPreVote);
    r.node.on("raft_pre_vote_res", this::onPreVoteResult);
    r.node.on("raft_vote", this::onVote);
    r.node.on("raft_vote_res", this::onVoteResult);
  }

  // ---------------------------------------------------------------- candidate side

  void startPreVote() {
    r.role = Role.PRE_CANDIDATE;
    r.leaderId = null;
    grants.clear();
    grants.add(r.node.id());
    r.resetElectionDeadline();
    if (grants.size() >= r.majority()) {
      startElection();
      return;
    }
    for (String peer : r.node.otherNodeIds()) r.send(peer, request("raft_pre_vote", r.term + 1));
  }

  private void startElection() {
    r.role = Role.CANDIDATE;
    r.term++;
    r.votedFor = r.node.id();
    r.saveTermVote();
    r.leaderId = null;
    grants.clear();
    grants.add(r.node.id());
    r.resetElectionDeadline();
    if (grants.size() >= r.majority()) {
      r.becomeLeader();
      return;
    }
    for (String peer : r.node.otherNodeIds()) r.send(peer, request("raft_vote", r.term));
  }

  private ObjectNode request(String type, long term) {
    ObjectNode b = r.node.body(type);
    b.put("term", term);
    b.put("last_log_index", r.log.lastIndex());
    b.put("last_log_term", r.log.lastTerm());
    return b;
  }

  private void onPreVoteResult(Message m) {
    long term = m.body().path("term").asLong();
    if (m.body().path("leader").isTextual() && term >= r.term) r.learnRelay(m.src(), m.body().get("leader").textValue());
    if (term > r.term && !m.body().path("granted").asBoolean()) {
      // Someone is ahead of us: catch up instead of campaigning with a hopeless term.
      r.becomeFollower(term, null);
      return;
    }
    if (r.role != Role.PRE_CANDIDATE || m.body().path("req_term").asLong() != r.term + 1) return;
    if (m.body().path("granted").asBoolean()) {
      grants.add(m.src());
      if (grants.size() >= r.majority()) startElection();
    }
  }

  private void onVoteResult(Message m) {
    long term = m.body().path("term").asLong();
    if (term > r.term) {
      r.becomeFollower(term, null);
      return;
    }
    if (r.role != Role.CANDIDATE || term != r.term) return;
    if (m.body().path("granted").asBoolean()) {
      grants.add(m.src());
      if (grants.size() >= r.majority()) r.becomeLeader();
    }
  }

  // ---------------------------------------------------------------- voter side

  private void onPreVote(Message m) {
    long term = m.body().path("term").asLong();
    boolean leaderAlive =
        r.role == Role.LEADER
            || (r.leaderId != null && r.node.nowMillis() - r.lastLeaderContactMs < r.config.electionMinMs());
    boolean granted =
        term > r.term
            && !leaderAlive
            && r.log.isUpToDate(m.body().path("last_log_term").asLong(), m.body().path("last_log_index").asLong());
    ObjectNode res = r.node.body("raft_pre_vote_res");
    res.put("term", r.term);
    res.put("req_term", term);
    res.put("granted", granted);
    // A refusal because we hear a leader tells the candidate whom we hear: it cannot reach that leader
    // itself (or it would not be campaigning), but it can relay client requests through us.
    if (leaderAlive) res.put("leader", r.leaderId);
    r.send(m.src(), res);
  }

  private void onVote(Message m) {
    long term = m.body().path("term").asLong();
    if (term > r.term) r.becomeFollower(term, null);
    boolean granted =
        term == r.term
            && (r.votedFor == null || r.votedFor.equals(m.src()))
            && r.log.isUpToDate(m.body().path("last_log_term").asLong(), m.body().path("last_log_index").asLong());
    if (granted) {
      r.votedFor = m.src();
      r.saveTermVote();
      r.resetElectionDeadline();
    }
    ObjectNode res = r.node.body("raft_vote_res");
    res.put("term", r.term);
    res.put("granted", granted);
    r.send(m.src(), res);
  }
}
