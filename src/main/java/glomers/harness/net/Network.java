package glomers.harness.net;

import glomers.protocol.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Maelstrom's simulated network (docs/maelstrom.md#network).
 *
 * <ul>
 *   <li>One priority queue per registered id (node, client, service), ordered by deadline = send time +
 *       latency; latency only when neither endpoint starts with {@code c}.
 *   <li>{@link #poll} does what Maelstrom's {@code recv!} does: take the earliest-deadline message; if the
 *       receiver currently drops its source (partition rule), discard it for good (no recv event) and
 *       return null; otherwise sleep until its deadline, journal the receive, return it. A message taken
 *       early therefore blocks later-arriving messages with earlier deadlines — as in Maelstrom.
 *   <li>No loss or duplication besides partitions. Message ids are global, from 0.
 *   <li>Journal: counters by category ({@link NetStats}) and, optionally, a compact JSON-lines event log
 *       ({@code {"t":ms,"ev":"send|recv|drop","id":…,"src":…,"dest":…,"type":…}}).
 * </ul>
 */
public final class Network {
  private static final Comparator<Envelope> BY_DEADLINE =
      Comparator.comparingLong(Envelope::deadline).thenComparingLong(Envelope::id);

  private final Map<String, PriorityBlockingQueue<Envelope>> queues = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Latency latency;
  private final NetStats stats = new NetStats();
  private volatile long t0;
  private final Writer journal;
  private volatile Map<String, Set<String>> partitions = Map.of();

  /**
   * @param t0 {@code System.nanoTime()} of the test start (journal time base)
   * @param journal where to write the event log, or null
   */
  public Network(Latency latency, long t0, Writer journal) {
    this.latency = latency;
    this.t0 = t0;
    this.journal = journal == null ? null : new BufferedWriter(journal, 1 << 16);
  }

  /** Sets the journal's time origin (the history's, once the main phase starts). */
  public void setOrigin(long nanoTime) {
    // Tell journal readers how far the origin moved, so setup traffic logged so far can be placed before 0
    // (the report's message-flow diagram needs one clock).
    if (journal != null) {
      synchronized (journal) {
        try {
          journal.write("{\"ev\":\"origin\",\"shift\":" + (nanoTime - t0) / 1000 / 1000.0 + "}\n");
        } catch (IOException ignored) {
          // the journal is a report aid
        }
      }
    }
    this.t0 = nanoTime;
  }

  public NetStats stats() {
    return stats;
  }

  public void register(String id) {
    queues.put(id, new PriorityBlockingQueue<>(11, BY_DEADLINE));
  }

  /** Unregisters an id; its queued messages are discarded and later sends to it are rejected. */
  public void unregister(String id) {
    queues.remove(id);
  }

  public boolean registered(String id) {
    return queues.containsKey(id);
  }

  /**
   * Accepts a message: assigns its id, journals the send, enqueues it at its destination.
   *
   * @throws UnknownDestinationException src or dest not registered (nothing is journaled)
   */
  public long send(String src, String dest, Object body) throws UnknownDestinationException {
    if (!queues.containsKey(src)) throw new UnknownDestinationException("Invalid source for message: " + src);
    PriorityBlockingQueue<Envelope> q = queues.get(dest);
    if (q == null) throw new UnknownDestinationException("Invalid dest for message: " + dest);
    long id = nextId.getAndIncrement();
    long now = System.nanoTime();
    long delay = NetStats.isClient(src, dest) ? 0 : latency.nextNanos();
    Envelope e = new Envelope(id, src, dest, body, now + delay);
    stats.send(src, dest);
    log("send", e, now);
    q.put(e);
    return id;
  }

  /**
   * Maelstrom's {@code recv!}: the next message for {@code id}, waiting up to {@code timeoutNanos} for one
   * to arrive; null on timeout, when the head message was dropped by a partition, or when the id is not
   * registered.
   */
  public Envelope poll(String id, long timeoutNanos) throws InterruptedException {
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    if (q == null) {
      if (timeoutNanos > 0) TimeUnit.NANOSECONDS.sleep(Math.min(timeoutNanos, 10_000_000));
      return null;
    }
    Envelope e = q.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    if (e == null) return null;
    Set<String> drops = partitions.get(id);
    if (drops != null && drops.contains(e.src())) {
      stats.drop();
      log("drop", e, System.nanoTime());
      return null;
    }
    sleepUntil(e.deadline());
    stats.recv(e.src(), e.dest());
    log("recv", e, System.nanoTime());
    return e;
  }

  /** Parks until {@code deadline} (nanoTime), with sub-millisecond accuracy. */
  static void sleepUntil(long deadline) throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  /** Adds receive-side drop rules {@code dest ← srcs} (Jepsen {@code drop-all!}). */
  public synchronized void drop(Map<String, ? extends Set<String>> grudge) {
    Map<String, Set<String>> p = new HashMap<>();
    partitions.forEach((k, v) -> p.put(k, new HashSet<>(v)));
    grudge.forEach((dest, srcs) -> p.computeIfAbsent(dest, k -> new HashSet<>()).addAll(srcs));
    Map<String, Set<String>> frozen = new HashMap<>();
    p.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(v)));
    partitions = Collections.unmodifiableMap(frozen);
  }

  /** Clears every rule at once; nothing is replayed. */
  public synchronized void heal() {
    partitions = Map.of();
  }

  /** The current rules, dest → srcs it drops. */
  public Map<String, Set<String>> partitions() {
    return partitions;
  }

  /** The wire line Maelstrom writes to a node's stdin for this message. */
  public static String line(Envelope e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("src", e.src());
    m.put("dest", e.dest());
    m.put("body", e.body());
    return Json.write(m);
  }

  private void log(String ev, Envelope e, long now) {
    if (journal == null) return;
    StringBuilder sb = new StringBuilder(96);
    sb.append("{\"t\":").append((now - t0) / 1000 / 1000.0).append(",\"ev\":\"").append(ev)
        .append("\",\"id\":").append(e.id()).append(",\"src\":").append(Json.write(e.src()))
        .append(",\"dest\":").append(Json.write(e.dest())).append(",\"type\":").append(Json.write(e.type()))
        .append("}\n");
    synchronized (journal) {
      try {
        journal.write(sb.toString());
      } catch (IOException ignored) {
        // the journal is a report aid; never let it break a run
      }
    }
  }

  /** Flushes and closes the event log. */
  public void closeJournal() {
    if (journal == null) return;
    synchronized (journal) {
      try {
        journal.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
