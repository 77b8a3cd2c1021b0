package glomers.workloads.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory Raft log, 1-based like the paper: index 0 is a sentinel with term 0 so that the
 * consistency check of the very first AppendEntries ({@code prevLogIndex = 0}) needs no special case.
 * {@link RaftNode} makes every change durable (its records) before relying on it; the log is never
 * compacted, which is fine for test-sized runs.
 */
public final class RaftLog {
  private final List<LogEntry> entries = new ArrayList<>();

  public RaftLog() {
    entries.add(new LogEntry(0, null));
  }

  public long lastIndex() {
    return entries.size() - 1;
  }

  public long lastTerm() {
    return entries.get(entries.size() - 1).term();
  }

  /** Term of the entry at {@code index}, or -1 when the log has no such entry. */
  public long termAt(long index) {
    return index >= 0 && index <= lastIndex() ? entries.get((int) index).term() : -1;
  }

  public LogEntry get(long index) {
    return entries.get((int) index);
  }

  public long append(LogEntry e) {
    entries.add(e);
    return lastIndex();
  }

  /** Removes the entry at {@code index} and everything after it (only ever uncommitted entries). */
  public void truncateFrom(long index) {
    if (index < 1) throw new IllegalArgumentException("cannot truncate the sentinel");
    entries.subList((int) index, entries.size()).clear();
  }

  /** Entries {@code [from, from + max)} clipped to the end of the log. */
  public List<LogEntry> slice(long from, int max) {
    int start = (int) Math.max(1, from);
    int end = (int) Math.min(entries.size(), (long) start + max);
    return start >= end ? List.of() : entries.subList(start, end);
  }

  /** First index whose entry has {@code term} (for the follower's conflict hint), scanning back from {@code from}. */
  public long firstIndexOfTerm(long term, long from) {
    long i = from;
    while (i > 1 && termAt(i - 1) == term) i--;
    return i;
  }

  /** Last index whose entry has {@code term}, or -1 (for the leader's use of the conflict hint). */
  public long lastIndexOfTerm(long term) {
    for (long i = lastIndex(); i > 0; i--) {
      long t = termAt(i);
      if (t == term) return i;
      if (t < term) return -1; // terms only increase along the log
    }
    return -1;
  }

  /** Raft §5.4.1 election restriction: is a log ending at (lastTerm, lastIndex) at least as up to date as ours? */
  public boolean isUpToDate(long otherLastTerm, long otherLastIndex) {
    return otherLastTerm > lastTerm() || (otherLastTerm == lastTerm() && otherLastIndex >= lastIndex());
  }
}
