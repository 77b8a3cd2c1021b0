package glomers.cli;

import glomers.node.NodeRuntime;
import glomers.node.RealEventLoop;
import glomers.node.WorkloadHandler;
import glomers.node.storage.MemoryStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * Warms a node's hot paths before its real traffic arrives, so the first seconds of a run are not spent
 * in the interpreter (25 JVMs warming up at once on 2 cores is where the one-hop broadcast tail came
 * from, docs/runtime.md#warm-up-and-the-latency-tail-of-one-hop-broadcast).
 *
 * <p>A throwaway handler on a throwaway runtime (its own event loop, memory storage, a fixed seed) is
 * initialised as {@code n0} of a five-node cluster and fed rounds of synthetic client requests of its
 * workload: the same JSON parse, dispatch, handler, reply encoding and timers as a real session. Nothing
 * reaches stdout and the real handler is never touched. Messages the throwaway node sends to its peers
 * come straight back to it with {@code src} and {@code dest} swapped, so a request to {@code n1}
 * arrives as a request from {@code n1}, and the reply to it as the peer's reply to the original rpc:
 * the peer-to-peer paths warm up too, without knowing any workload's internal message types. Replies
 * to clients and requests to services are dropped (service rpcs simply time out with the loop).
 *
 * <p>It is off by default: since the event loop writes stdout itself (no hand-off to a writer thread),
 * a cold node's one-hop broadcast tail is the same as a warm one's, while the warm-up's CPU makes the
 * last {@code init_ok} of 25 nodes later (docs/runtime.md#warm-up). {@code GLOMERS_WARMUP=N} turns it on
 * with N rounds ({@value #SUGGESTED_ROUNDS} is the size that was measured).
 *
 * <p>When it runs is the trade-off. Before reading stdin (the default) the node answers {@code init}
 * warm, but the warm-up's CPU is spent exactly when 25 JVMs compete for 2 cores, which makes the last
 * {@code init_ok} of a cluster late. {@code GLOMERS_WARMUP_AT=init} runs it after {@code init_ok}
 * instead, on a background thread, and only while the machine has a core to spare (no more runnable
 * threads than cores, {@code /proc/loadavg}): nodes that answered early wait while their siblings still
 * start, and warm up when the cores are free, which may be after the clients have begun. After
 * {@value #IDLE_PATIENCE_MILLIS} ms without a spare core it runs anyway, so a node on a saturated machine
 * is not left cold. It is bounded by rounds and by wall time either way.
 */
final class WarmUp {
  /** Default rounds (off); each round is one request of every kind the workload's clients send. */
  static final int DEFAULT_ROUNDS = 0;
  /** The number of rounds whose effect docs/runtime.md measures. */
  static final int SUGGESTED_ROUNDS = 300;
  /** The warm-up never takes longer than this (default of {@code GLOMERS_WARMUP_MS}), however loaded the machine. */
  static final long MAX_MILLIS = 400;
  /** The name of the thread a warm-up after {@code init} runs on. */
  static final String THREAD = "warm-up";
  /** How long a warm-up after {@code init} waits for a spare core before it runs regardless. */
  static final long IDLE_PATIENCE_MILLIS = 1500;
  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final String INIT =
      "{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\","
          + "\"node_ids\":[\"n0\",\"n1\",\"n2\",\"n3\",\"n4\"]}}";

  private WarmUp() {}

  /** Rounds from {@code GLOMERS_WARMUP} (a count, 0 = off), else {@link #DEFAULT_ROUNDS}. */
  static int rounds() {
    return (int) Math.min(Integer.MAX_VALUE, envCount("GLOMERS_WARMUP", DEFAULT_ROUNDS));
  }

  /** The wall-time bound from {@code GLOMERS_WARMUP_MS}, else {@link #MAX_MILLIS}. */
  static long maxMillis() {
    return envCount("GLOMERS_WARMUP_MS", MAX_MILLIS);
  }

  private static long envCount(String variable, long otherwise) {
    String v = System.getenv(variable);
    if (v == null || v.isBlank()) return otherwise;
    try {
      return Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** False when {@code GLOMERS_WARMUP_AT=init}: warm up after init rather than before reading stdin. */
  static boolean atStart() {
    return !"init".equals(System.getenv("GLOMERS_WARMUP_AT"));
  }

  /**
   * {@code real}, followed by a warm-up of {@code rounds} on a daemon thread once the node initialises
   * (its first {@code init}; the callback runs just before {@code init_ok} is queued, and the warm-up's
   * first act is to wait for a spare core).
   */
  static WorkloadHandler afterInit(WorkloadHandler real, String name, Map<String, String> settings, int rounds) {
    if (rounds <= 0) return real;
    return node -> {
      real.install(node);
      node.onInit(
          () -> {
            Thread t = new Thread(() -> runQuietly(name, settings, rounds), THREAD);
            t.setDaemon(true);
            t.start();
          });
    };
  }

  private static void runQuietly(String name, Map<String, String> settings, int rounds) {
    long patience = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_PATIENCE_MILLIS);
    try {
      // Every 16 rounds only, so that the gate's file reads stay a small part of the warm-up.
      run(name, settings, rounds, maxMillis(), round -> round % 16 != 0 || awaitSpareCore(patience));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Blocks until no more threads are runnable on the machine than it has cores (this one included), or
   * until {@code patienceNanos} (a {@link System#nanoTime} instant) has passed. Without
   * {@code /proc/loadavg} (not Linux) there is nothing to wait for.
   */
  static boolean awaitSpareCore(long patienceNanos) {
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      while (System.nanoTime() < patienceNanos) {
        int runnable = runnableThreads();
        if (runnable < 0 || runnable <= cores) return true;
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** The machine's currently runnable threads (the 4th field of /proc/loadavg, "running/total"), or -1. */
  static int runnableThreads() {
    try {
      String s = Files.readString(LOADAVG);
      String[] f = s.trim().split(" ");
      return Integer.parseInt(f[3].substring(0, f[3].indexOf('/')));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Runs the warm-up for workload {@code name}; returns the number of lines the throwaway node handled. */
  static int run(String name, Map<String, String> settings, int rounds) throws InterruptedException {
    return run(name, settings, rounds, maxMillis());
  }

  static int run(String name, Map<String, String> settings, int rounds, long maxMillis) throws InterruptedException {
    return run(name, settings, rounds, maxMillis, round -> true);
  }

  /**
   * Runs up to {@code rounds} rounds, each after {@code beforeRound} agrees (false ends the warm-up);
   * {@code maxMillis} bounds the wall time spent outside {@code beforeRound}.
   */
  static int run(String name, Map<String, String> settings, int rounds, long maxMillis, LongPredicate beforeRound)
      throws InterruptedException {
    if (rounds <= 0 || !beforeRound.test(0)) return 0;
    WorkloadHandler handler = NodeWorkloads.create(name);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    RealEventLoop loop = new RealEventLoop().start();
    AtomicInteger handled = new AtomicInteger();
    int mirrorBudget = rounds * 8;
    NodeRuntime[] runtime = new NodeRuntime[1];
    runtime[0] =
        new NodeRuntime(
                loop,
                line -> {
                  String back = mirrored(line);
                  if (back != null && handled.get() < mirrorBudget) loop.execute(() -> deliver(runtime[0], back, handled));
                },
                new SplittableRandom(1),
                settings,
                quiet)
            .storage(id -> new MemoryStorage(loop, MemoryStorage.Disk.empty()))
            .onBadSetting(text -> {});
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    try {
      loop.execute(
          () -> {
            try {
              handler.install(runtime[0]);
            } catch (RuntimeException e) {
              // The real node reports a bad install itself.
            }
          });
      loop.execute(() -> deliver(runtime[0], INIT, handled));
      List<String> requests = requests(name);
      for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
        if (round > 0) {
          long waitStart = System.nanoTime();
          if (!beforeRound.test(round)) break;
          deadline += System.nanoTime() - waitStart; // waiting for a spare core is not warm-up time
        }
        for (String r : requests) {
          String line = fill(r, round + 2, round);
          loop.execute(() -> deliver(runtime[0], line, handled));
        }
        // One round at a time, so mirrored peer traffic interleaves with requests as in a real run.
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
      }
    } finally {
      loop.stop();
    }
    return handled.get();
  }

  private static void deliver(NodeRuntime runtime, String line, AtomicInteger handled) {
    handled.incrementAndGet();
    runtime.deliver(line);
  }

  /**
   * The line as the peer it was sent to would answer it back, or null if it is not for a peer. Lines come
   * from {@code Message.toLine}, which writes {@code src}, {@code dest}, {@code body} in that order; plain
   * string surgery keeps Jackson's tree classes out of this class (linking them at start-up cost ≈ 5 MB RSS
   * per node, docs/runtime.md#start-up-and-footprint).
   */
  static String mirrored(String line) {
    String head = "{\"src\":\"", mid = "\",\"dest\":\"", tail = "\",\"body\":";
    if (!line.startsWith(head)) return null;
    int m = line.indexOf(mid, head.length());
    if (m < 0) return null;
    int t = line.indexOf(tail, m + mid.length());
    if (t < 0) return null;
    String src = line.substring(head.length(), m), dest = line.substring(m + mid.length(), t);
    if (!dest.startsWith("n") || dest.equals(src)) return null;
    return head + dest + mid + src + tail + line.substring(t + tail.length());
  }

  /**
   * {@code template} with {@code %1$d} replaced by {@code msgId} and {@code %2$d} by {@code round}, as
   * {@link String#format} would, without its format-string parser: the warm-up should spend its CPU on
   * the node's paths, not on its own.
   */
  static String fill(String template, long msgId, long round) {
    StringBuilder b = new StringBuilder(template.length() + 16);
    int from = 0;
    for (int at; (at = template.indexOf("%", from)) >= 0; from = at + 4) {
      b.append(template, from, at).append(template.startsWith("%1$d", at) ? msgId : round);
    }
    return b.append(template, from, template.length()).toString();
  }

  /**
   * One round of client requests for the workload, as templates for {@link #fill}: {@code %1$d} a
   * fresh msg_id, {@code %2$d} the round (values, keys).
   */
  static List<String> requests(String name) {
    String c = "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"msg_id\":%1$d,";
    return switch (name) {
      case "echo" -> List.of(c + "\"type\":\"echo\",\"echo\":\"Please echo %2$d\"}}");
      case "unique-ids" -> List.of(c + "\"type\":\"generate\"}}");
      case "broadcast" ->
          List.of(c + "\"type\":\"broadcast\",\"message\":%2$d}}", c + "\"type\":\"read\"}}");
      case "g-counter", "pn-counter" ->
          List.of(c + "\"type\":\"add\",\"delta\":%2$d}}", c + "\"type\":\"read\"}}");
      case "g-set" -> List.of(c + "\"type\":\"add\",\"element\":%2$d}}", c + "\"type\":\"read\"}}");
      case "kafka" ->
          List.of(
              c + "\"type\":\"send\",\"key\":\"k%2$d\",\"msg\":%2$d}}",
              c + "\"type\":\"poll\",\"offsets\":{\"k%2$d\":0}}}",
              c + "\"type\":\"commit_offsets\",\"offsets\":{\"k%2$d\":0}}}",
              c + "\"type\":\"list_committed_offsets\",\"keys\":[\"k%2$d\"]}}");
      case "txn-rw-register" -> List.of(c + "\"type\":\"txn\",\"txn\":[[\"r\",%2$d,null],[\"w\",%2$d,%1$d]]}}");
      case "txn-list-append" -> List.of(c + "\"type\":\"txn\",\"txn\":[[\"r\",%2$d,null],[\"append\",%2$d,%1$d]]}}");
      case "lin-kv" ->
          List.of(
              c + "\"type\":\"read\",\"key\":%2$d}}",
              c + "\"type\":\"write\",\"key\":%2$d,\"value\":%2$d}}",
              c + "\"type\":\"cas\",\"key\":%2$d,\"from\":%2$d,\"to\":%1$d}}");
      default -> List.of();
    };
  }
}
