package glomers.harness.net;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap journal counters for Maelstrom's {@code :net} checker (docs/maelstrom.md#common-checkers). Every accepted
 * message has exactly one send event and a unique id, so {@code msg-count} (distinct ids with any event) equals the
 * send count of its category.
 */
public final class NetStats {
  private final LongAdder sendClients = new LongAdder();
  private final LongAdder sendServers = new LongAdder();
  private final LongAdder recvClients = new LongAdder();
  private final LongAdder recvServers = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder duplicated = new LongAdder();

  /** Maelstrom's classification: client traffic iff either endpoint starts with {@code c}. */
  public static boolean isClient(String src, String dest) {
    return src.startsWith("c") || dest.startsWith("c");
  }

  void send(String src, String dest) {
    (isClient(src, dest) ? sendClients : sendServers).increment();
  }

  void recv(String src, String dest) {
    (isClient(src, dest) ? recvClients : recvServers).increment();
  }

  void drop() {
    dropped.increment();
  }

  void duplicate() {
    duplicated.increment();
  }

  /** Copies the duplicate nemesis added (not in the send counts: no node sent them). */
  public long duplicated() {
    return duplicated.sum();
  }

  public long sends() {
    return sendClients.sum() + sendServers.sum();
  }

  public long recvs() {
    return recvClients.sum() + recvServers.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  /** The {@code :net} result map for {@code opCount} client invocations. */
  public Map<String, Object> result(long opCount) {
    long sc = sendClients.sum(), ss = sendServers.sum(), rc = recvClients.sum(), rs = recvServers.sum();
    Map<String, Object> all = category(sc + ss, rc + rs);
    Map<String, Object> clients = category(sc, rc);
    Map<String, Object> servers = category(ss, rs);
    if (opCount > 0) { // Maelstrom omits msgs-per-op when there were no client invocations
      all.put("msgs-per-op", asFloat((double) (sc + ss) / opCount));
      servers.put("msgs-per-op", asFloat((double) ss / opCount));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("all", all);
    m.put("clients", clients);
    m.put("servers", servers);
    m.put("valid?", true);
    return m;
  }

  /** Maelstrom prints these ratios as Clojure {@code (float …)}: single precision (e.g. 2.0384614). */
  public static double asFloat(double d) {
    return Double.parseDouble(Float.toString((float) d));
  }

  private static Map<String, Object> category(long send, long recv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("send-count", send);
    m.put("recv-count", recv);
    m.put("msg-count", send);
    return m;
  }

}
