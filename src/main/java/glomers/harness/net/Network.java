package glomers.harness.net;

import glomers.harness.time.RealScheduler;
import glomers.harness.time.Scheduler;
import glomers.protocol.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 *   <li>No loss or duplication besides the nemesis's: partitions, nodes that are down ({@link #down}: every
 *       message to them is dropped, including those already queued) and duplication ({@link #duplicate}:
 *       each message between two of the given nodes is sent a second time, as a copy with its own id and
 *       latency, journaled as {@code dup}); messages to a paused node wait in its queue ({@link #hold}).
 *       Message ids are global, from 0.
 *   <li>Time comes from a {@link Scheduler}. On virtual time nobody polls: an id registered with a
 *       receiver gets its messages pushed by the event loop, with exactly the semantics of a consumer
 *       that polls again as soon as it has handled a message (take the head, drop or wait for its
 *       deadline, hand it over); a polling id waits on a signal instead of a blocking queue.
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
  /** The event log (null: none); every write holds its lock. */
  private final Writer journal;
  /** The line being logged (under the journal's lock). */
  private final StringBuilder logLine = new StringBuilder(128);
  private volatile Map<String, Set<String>> partitions = Map.of();
  /** Down ids, each with the one source it still accepts (a re-init client) or "" for none. */
  private final Map<String, String> down = new ConcurrentHashMap<>();
  private volatile Set<String> duplicating = Set.of();
  /** Paused ids: their messages stay queued until released. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  /** Ids unregistered while some node was paused, each with the nodes paused at that moment. */
  private final Map<String, Set<String>> closedDuringPause = new ConcurrentHashMap<>();
  private final Scheduler clock;
  /** Virtual time: pushed receivers and the wake-up signal of polled ids. */
  private final Map<String, Inbox> inboxes = new HashMap<>();

  /** How a receiver of pushed messages handles one (virtual time; on the event loop). */
  @FunctionalInterface
  public interface Receiver {
    void receive(Envelope e);
  }

  private static final class Inbox {
    final Receiver receiver;
    final Scheduler.Signal signal;
    boolean busy;

    Inbox(Receiver receiver, Scheduler.Signal signal) {
      this.receiver = receiver;
      this.signal = signal;
    }
  }

  /**
   * @param t0 {@code System.nanoTime()} of the test start (journal time base)
   * @param journal where to write the event log, or null
   */
  public Network(Latency latency, long t0, Writer journal) {
    this(latency, RealScheduler.INSTANCE, t0, journal);
  }

  /**
   * @param clock the time base; on virtual time, delivery is driven by its event loop
   * @param t0 {@code clock.nanoTime()} of the test start (journal time base)
   */
  public Network(Latency latency, Scheduler clock, long t0, Writer journal) {
    this.latency = latency;
    this.clock = clock;
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

  /** The network's time base (also the clients'). */
  public Scheduler clock() {
    return clock;
  }

  public NetStats stats() {
    return stats;
  }

  /** Registers an id whose owner polls ({@link #poll}). */
  public void register(String id) {
    queues.put(id, new PriorityBlockingQueue<>(11, BY_DEADLINE));
    if (clock.isVirtual()) inboxes.put(id, new Inbox(null, clock.newSignal()));
  }

  /** Virtual time: registers an id whose messages the event loop hands to {@code receiver}. */
  public void register(String id, Receiver receiver) {
    if (!clock.isVirtual()) throw new IllegalStateException("pushed delivery needs virtual time");
    queues.put(id, new PriorityBlockingQueue<>(11, BY_DEADLINE));
    inboxes.put(id, new Inbox(receiver, null));
  }

  /** Unregisters an id; its queued messages are discarded and later sends to it are rejected. */
  public void unregister(String id) {
    queues.remove(id);
    Set<String> paused = Set.copyOf(held);
    if (!paused.isEmpty()) closedDuringPause.put(id, paused);
    if (clock.isVirtual()) inboxes.remove(id);
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
    long id = enqueue(q, "send", src, dest, body);
    Set<String> dup = duplicating;
    if (dup.contains(src) && dup.contains(dest)) {
      stats.duplicate();
      enqueue(q, "dup", src, dest, body);
    }
    return id;
  }

  private long enqueue(PriorityBlockingQueue<Envelope> q, String ev, String src, String dest, Object body) {
    long id = nextId.getAndIncrement();
    long now = clock.nanoTime();
    long delay = NetStats.isClient(src, dest) ? 0 : latency.nextNanos();
    Envelope e = new Envelope(id, src, dest, body, now + delay);
    if (ev.equals("send")) stats.send(src, dest);
    log(ev, e, now);
    String accepts = down.get(dest);
    if (accepts != null && !accepts.equals(src)) {
      stats.drop();
      log("drop", e, now);
      return id;
    }
    q.put(e);
    if (clock.isVirtual()) wake(dest);
    return id;
  }

  /**
   * Takes {@code id} down (its process was killed): every message to it is dropped, those already queued
   * included, except those from {@code except} (the client that re-inits it; null for none).
   */
  public void down(String id, String except) {
    down.put(id, except == null ? "" : except);
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    if (q == null) return;
    java.util.List<Envelope> queued = new java.util.ArrayList<>();
    q.drainTo(queued);
    for (Envelope e : queued) {
      if (e.src().equals(except)) {
        q.put(e);
      } else {
        stats.drop();
        log("drop", e, clock.nanoTime());
      }
    }
  }

  /** If {@code id} is held, puts {@code e} back in its queue (it stays undelivered) and returns true. */
  private boolean keptBack(PriorityBlockingQueue<Envelope> q, String id, Envelope e) {
    if (!held.contains(id)) return false;
    q.put(e);
    return true;
  }

  /** Holds every message to {@code id} in its queue (the node is paused), until {@link #release}. */
  public void hold(String id) {
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    if (q == null) return;
    synchronized (q) {
      held.add(id);
    }
  }

  /** Delivers {@code id}'s messages again, those that queued up first. */
  public void release(String id) {
    held.remove(id);
    if (clock.isVirtual()) wake(id);
  }

  /**
   * Whether a line from {@code src} to the closed {@code dest} is a reply made late by a pause: {@code src}
   * was paused when {@code dest} closed. Such a line is discarded (not sent, not counted, as a rejected line
   * is not) instead of silencing the node, which could not know that the client gave up while it was stopped
   * (docs/faults.md#the-fault-nemeses); a reply late on the node's own account still silences it.
   */
  public boolean closedWhilePaused(String dest, String src) {
    Set<String> paused = closedDuringPause.get(dest);
    return paused != null && paused.contains(src);
  }

  /** {@code id} is up again: messages to it are delivered. */
  public void up(String id) {
    down.remove(id);
  }

  /** Duplicates every message between two of {@code nodes} from now on; an empty set ends it. */
  public void duplicate(Set<String> nodes) {
    duplicating = Set.copyOf(nodes);
  }

  private void wake(String dest) {
    Inbox in = inboxes.get(dest);
    if (in == null) return;
    if (in.receiver == null) {
      in.signal.signalAll();
    } else if (!in.busy) {
      pump(dest, in);
    }
  }

  /** A pushed receiver's consumer loop, one message at a time. */
  private void pump(String id, Inbox in) {
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    if (held.contains(id)) {
      in.busy = false;
      return;
    }
    while (true) {
      Envelope e = q == null || inboxes.get(id) != in ? null : q.poll();
      if (e == null) {
        in.busy = false;
        return;
      }
      in.busy = true;
      if (dropped(id, e)) continue;
      clock.at(e.deadline(), () -> {
        if (inboxes.get(id) != in) return; // unregistered meanwhile
        if (downFor(id, e)) {
          pump(id, in);
          return;
        }
        if (held.contains(id)) { // back in the queue; release() pumps again
          queues.get(id).put(e);
          in.busy = false;
          return;
        }
        stats.recv(e.src(), e.dest());
        log("recv", e, clock.nanoTime());
        in.receiver.receive(e);
        pump(id, in);
      });
      return;
    }
  }

  /** Drops {@code e} if its receiver went down after it was queued. */
  private boolean downFor(String id, Envelope e) {
    String accepts = down.get(id);
    if (accepts == null || accepts.equals(e.src())) return false;
    stats.drop();
    log("drop", e, clock.nanoTime());
    return true;
  }

  private boolean dropped(String id, Envelope e) {
    if (downFor(id, e)) return true;
    Set<String> drops = partitions.get(id);
    if (drops != null && drops.contains(e.src())) {
      stats.drop();
      log("drop", e, clock.nanoTime());
      return true;
    }
    return false;
  }

  private Envelope pollVirtual(String id, long timeoutNanos) throws InterruptedException {
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    Inbox in = inboxes.get(id);
    if (q == null || in == null) {
      if (timeoutNanos > 0) clock.sleepUntil(clock.nanoTime() + Math.min(timeoutNanos, 10_000_000));
      return null;
    }
    long end = clock.nanoTime() + Math.max(0, timeoutNanos);
    Envelope e;
    while ((e = q.poll()) == null) {
      long left = end - clock.nanoTime();
      if (left <= 0) return null;
      in.signal.await(left);
    }
    if (dropped(id, e)) return null;
    clock.sleepUntil(e.deadline());
    if (downFor(id, e) || keptBack(q, id, e)) return null;
    stats.recv(e.src(), e.dest());
    log("recv", e, clock.nanoTime());
    return e;
  }

  /**
   * Maelstrom's {@code recv!}: the next message for {@code id}, waiting up to {@code timeoutNanos} for one
   * to arrive; null on timeout, when the head message was dropped by a partition, or when the id is not
   * registered.
   */
  public Envelope poll(String id, long timeoutNanos) throws InterruptedException {
    if (clock.isVirtual()) return pollVirtual(id, timeoutNanos);
    PriorityBlockingQueue<Envelope> q = queues.get(id);
    if (q == null) {
      if (timeoutNanos > 0) TimeUnit.NANOSECONDS.sleep(Math.min(timeoutNanos, 10_000_000));
      return null;
    }
    if (held.contains(id)) {
      TimeUnit.NANOSECONDS.sleep(Math.min(Math.max(0, timeoutNanos), 5_000_000));
      return null;
    }
    Envelope e = q.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    if (e == null || keptBack(q, id, e) || dropped(id, e)) return null;
    clock.sleepUntil(e.deadline());
    synchronized (q) { // once hold() returns, nothing more is received
      if (downFor(id, e) || keptBack(q, id, e)) return null;
      stats.recv(e.src(), e.dest());
      log("recv", e, clock.nanoTime());
    }
    return e;
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
    StringBuilder sb = new StringBuilder(128).append("{\"id\":").append(e.id());
    Json.appendString(sb.append(",\"src\":"), e.src());
    Json.appendString(sb.append(",\"dest\":"), e.dest());
    return sb.append(",\"body\":").append(Json.write(e.body())).append('}').toString();
  }

  private void log(String ev, Envelope e, long now) {
    if (journal == null) return;
    synchronized (journal) {
      try {
        StringBuilder sb = logLine;
        sb.setLength(0);
        Json.appendThousandths(sb.append("{\"t\":"), (now - t0) / 1000).append(",\"ev\":\"").append(ev)
            .append("\",\"id\":").append(e.id());
        Json.appendString(sb.append(",\"src\":"), e.src());
        Json.appendString(sb.append(",\"dest\":"), e.dest());
        String type = e.type();
        (type == null ? sb.append(",\"type\":null") : Json.appendString(sb.append(",\"type\":"), type)).append("}\n");
        journal.append(sb);
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
