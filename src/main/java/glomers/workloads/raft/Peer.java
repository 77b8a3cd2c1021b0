package glomers.workloads.raft;

/** The leader's view of one follower (Raft's nextIndex/matchIndex plus flow control and liveness). */
final class Peer {
  final String id;
  /** Next log index to send; optimistic (lastIndex + 1) on election, backed off with conflict hints. */
  long nextIndex;
  /** Highest index known replicated on the follower. */
  long matchIndex;
  /** An AppendEntries carrying entries is outstanding: further proposals wait for its answer (batching). */
  boolean inflight;
  long lastSentMs = Long.MIN_VALUE / 2;
  /** Sequence number of the last AppendEntries sent; only its answer may trigger the next send. */
  long lastSentSeq;
  /** Highest AppendEntries sequence number the follower answered in the current term (ReadIndex). */
  long ackedSeq;
  /** When the follower last answered in the current term (check-quorum). */
  long lastAckMs = Long.MIN_VALUE / 2;

  Peer(String id, long lastIndex, long now) {
    this.id = id;
    this.nextIndex = lastIndex + 1;
    this.matchIndex = 0;
    // A fresh leader counts every follower as just heard from, so that check-quorum gives it one full
    // period to collect acknowledgements.
    this.lastAckMs = now;
  }
}
