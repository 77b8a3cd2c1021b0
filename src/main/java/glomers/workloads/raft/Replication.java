package glomers.workloads.raft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Message;
import java.util.List;

/**
 * Log replication: AppendEntries on the leader and on followers (Raft §5.3), with the "fast back-off"
 * optimisation of §5.3's last paragraph.
 *
 * <p><b>Consistency check.</b> Each AppendEntries names the entry preceding its batch
 * ({@code prev_index}, {@code prev_term}); a follower accepts only if its log holds exactly that entry,
 * which by induction makes the two logs identical up to there (Log Matching). Conflicting suffixes are
 * truncated; entries already present are kept, so duplicated or reordered messages are harmless.
 *
 * <p><b>Fast back-off.</b> On a mismatch the follower returns {@code conflict_term} (the term of its entry
 * at {@code prev_index}, or -1 if its log is shorter) and {@code conflict_index} (the first index of that
 * term, or its log length + 1). The leader jumps {@code nextIndex} past its own last entry of that term if
 * it has one, else to {@code conflict_index}: one round trip per conflicting term instead of per entry.
 *
 * <p><b>Flow control.</b> At most one AppendEntries with entries is outstanding per follower; proposals
 * arriving meanwhile accumulate and go out together when the answer comes back, so under load the batch
 * size adapts to the round-trip time. Idle followers get an empty AppendEntries every heartbeat interval,
 * which also retransmits anything lost to a partition.
 *
 * <p>Every AppendEntries carries a per-term sequence number that the answer echoes; ReadIndex uses it to
 * know that a majority acknowledged this leader after a read arrived.
 */
final class Replication {
  private final RaftNode r;

  Replication(RaftNode r) {
    this.r = r;
  }

  void install() {
    r.node.on("raft_append", this::onAppend);
    r.node.on("raft_append_res", this::onAppendResult);
  }

  // ---------------------------------------------------------------- leader side

  /** Sends to every follower; {@code force} ignores flow control (elections, ReadIndex rounds). */
  void broadcast(boolean force) {
    for (Peer p : r.peers.values()) {
      if (force || !p.inflight) send(p);
    }
  }

  void heartbeatIdlePeers(long now) {
    for (Peer p : r.peers.values()) {
      if (now - p.lastSentMs >= r.config.heartbeatMs()) send(p);
    }
  }

  private void send(Peer p) {
    long prev = p.nextIndex - 1;
    List<LogEntry> batch = r.log.slice(p.nextIndex, r.config.maxBatch());
    ObjectNode b = r.node.body("raft_append");
    b.put("term", r.term);
    b.put("prev_index", prev);
    b.put("prev_term", r.log.termAt(prev));
    b.put("commit", r.commitIndex);
    b.put("seq", ++r.seq);
    ArrayNode entries = b.putArray("entries");
    for (LogEntry e : batch) {
      ObjectNode je = entries.addObject();
      je.put("t", e.term());
      if (e.command() != null) je.set("c", e.command());
    }
    p.inflight = !batch.isEmpty();
    p.lastSentMs = r.node.nowMillis();
    p.lastSentSeq = r.seq;
    r.send(p.id, b);
  }

  private void onAppendResult(Message m) {
    ObjectNode b = m.body();
    long term = b.path("term").asLong();
    if (term > r.term) {
      r.becomeFollower(term, null);
      return;
    }
    if (r.role != Role.LEADER || term != r.term) return;
    Peer p = r.peers.get(m.src());
    if (p == null) return;
    long seq = b.path("seq").asLong();
    p.ackedSeq = Math.max(p.ackedSeq, seq);
    p.lastAckMs = r.node.nowMillis();
    // Only the answer to the latest message releases flow control: answers to older (e.g. ReadIndex)
    // messages must not each start a new send, or every extra message in flight would sustain its own
    // chain of sends for as long as proposals keep arriving.
    if (seq >= p.lastSentSeq) p.inflight = false;
    if (b.path("success").asBoolean()) {
      long match = b.path("match").asLong();
      if (match > p.matchIndex) p.matchIndex = match;
      p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
      r.advanceCommitIndex();
    } else {
      long conflictTerm = b.path("conflict_term").asLong();
      long conflictIndex = b.path("conflict_index").asLong();
      long next = conflictIndex;
      if (conflictTerm > 0) {
        long last = r.log.lastIndexOfTerm(conflictTerm);
        if (last > 0) next = last + 1;
      }
      p.nextIndex = Math.max(p.matchIndex + 1, Math.min(next, r.log.lastIndex() + 1));
    }
    r.onAck();
    if (r.role == Role.LEADER && !p.inflight && seq >= p.lastSentSeq && p.nextIndex <= r.log.lastIndex()) send(p);
  }

  // ---------------------------------------------------------------- follower side

  private void onAppend(Message m) {
    ObjectNode b = m.body();
    long term = b.path("term").asLong();
    ObjectNode res = r.node.body("raft_append_res");
    res.put("seq", b.path("seq").asLong());
    if (term < r.term) {
      res.put("term", r.term);
      res.put("success", false);
      res.put("conflict_term", -1);
      res.put("conflict_index", r.log.lastIndex() + 1);
      r.send(m.src(), res);
      return;
    }
    r.becomeFollower(term, m.src());
    r.lastLeaderContactMs = r.node.nowMillis();
    r.resetElectionDeadline();
    res.put("term", r.term);

    long prevIndex = b.path("prev_index").asLong();
    long prevTerm = b.path("prev_term").asLong();
    if (prevIndex > r.log.lastIndex()) {
      res.put("success", false);
      res.put("conflict_term", -1);
      res.put("conflict_index", r.log.lastIndex() + 1);
    } else if (r.log.termAt(prevIndex) != prevTerm) {
      long ct = r.log.termAt(prevIndex);
      res.put("success", false);
      res.put("conflict_term", ct);
      res.put("conflict_index", r.log.firstIndexOfTerm(ct, prevIndex));
    } else {
      long index = prevIndex;
      for (JsonNode je : b.path("entries")) {
        index++;
        long t = je.path("t").asLong();
        if (index <= r.log.lastIndex()) {
          if (r.log.termAt(index) == t) continue; // already have it (duplicate or reordered message)
          if (index <= r.commitIndex) throw new IllegalStateException("leader tried to overwrite committed index " + index);
          r.truncateFrom(index);
        }
        JsonNode c = je.get("c");
        r.appendEntry(new LogEntry(t, c instanceof ObjectNode o ? o : null));
      }
      // Only entries known to match the leader's log (up to the end of this batch) may be committed here:
      // anything after it could be a stale suffix from an older term.
      long leaderCommit = b.path("commit").asLong();
      long newCommit = Math.min(leaderCommit, index);
      if (newCommit > r.commitIndex) {
        r.commitIndex = newCommit;
        r.applyCommitted();
      }
      res.put("success", true);
      res.put("match", index);
    }
    r.send(m.src(), res);
  }
}
