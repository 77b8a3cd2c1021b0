package glomers.workloads.raft;

import glomers.node.RpcException;
import glomers.protocol.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Linearizable reads without writing to the log (Raft thesis §6.4, "ReadIndex").
 *
 * <p>A read arriving at the leader records {@code readIndex = max(commitIndex, termStartIndex)}: every
 * write acknowledged before the read was invoked is at or below it (entries committed by earlier leaders
 * precede this leader's no-op at {@code termStartIndex}). The leader then must prove it was still the
 * leader <em>after</em> the read arrived: it tags every AppendEntries with a sequence number and the read
 * waits until a majority (counting itself) has answered, in the leader's term, a message sent after the
 * read arrived. A deposed leader cannot collect such a majority, so it can never serve a stale value.
 * Finally the read waits until the state machine has applied {@code readIndex} and is served locally.
 *
 * <p>Reads arriving together share one confirmation round, so a burst of reads costs one round of
 * heartbeats. On losing leadership every waiting read fails with the definite error 11: a read never has
 * side effects, so refusing it is always safe.
 */
final class ReadIndex {
  private record Waiting(long seqNeeded, long readIndex, CompletableFuture<Void> done) {}

  private final ArrayDeque<Waiting> unconfirmed = new ArrayDeque<>();
  private final List<Waiting> confirmed = new ArrayList<>();

  /** Registers a read: it needs an ack for some AppendEntries with seq ≥ {@code seqNeeded}. */
  CompletableFuture<Void> await(long seqNeeded, long readIndex) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    unconfirmed.add(new Waiting(seqNeeded, readIndex, f));
    return f;
  }

  /** A majority has acknowledged everything up to {@code quorumSeq}. */
  void onQuorumSeq(long quorumSeq, long lastApplied) {
    while (!unconfirmed.isEmpty() && unconfirmed.peek().seqNeeded <= quorumSeq) confirmed.add(unconfirmed.poll());
    onApplied(lastApplied);
  }

  void onApplied(long lastApplied) {
    if (confirmed.isEmpty()) return;
    for (Iterator<Waiting> it = confirmed.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (w.readIndex <= lastApplied) {
        it.remove();
        w.done.complete(null);
      }
    }
  }

  boolean hasUnconfirmed() {
    return !unconfirmed.isEmpty();
  }

  void failAll(String why) {
    List<Waiting> all = new ArrayList<>(unconfirmed);
    all.addAll(confirmed);
    unconfirmed.clear();
    confirmed.clear();
    for (Waiting w : all) w.done.completeExceptionally(new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, why));
  }
}
