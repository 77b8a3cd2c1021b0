package glomers.harness.report;

/**
 * One message on the simulated network, as the harness's network journal saw it: accepted at {@code sendNanos},
 * delivered at {@code recvNanos}, or never delivered ({@link #UNDELIVERED}: dropped by a partition, or still in
 * flight when the test ended). Times are nanoseconds since the history's origin (setup traffic is negative).
 *
 * @param type the body's {@code type} ({@code "broadcast"}, {@code "read_ok"}, …), or {@code "?"} when unknown
 */
public record NetMessage(long id, String src, String dest, String type, long sendNanos, long recvNanos) {

  /** {@code recvNanos} of a message that never arrived. */
  public static final long UNDELIVERED = Long.MIN_VALUE;

  public boolean delivered() {
    return recvNanos != UNDELIVERED;
  }

  /** The category Maelstrom's net checker uses: a client is at either end. */
  public boolean isClient() {
    return isClientId(src) || isClientId(dest);
  }

  /** Node↔service traffic (seq-kv, lin-kv, lww-kv, lin-tso…): a server message with a non-node endpoint. */
  public boolean isService() {
    return !isClient() && !(isNodeId(src) && isNodeId(dest));
  }

  /** Node↔node traffic: what {@code msgs-per-op} for servers mostly measures. */
  public boolean isNodeToNode() {
    return isNodeId(src) && isNodeId(dest);
  }

  public static boolean isClientId(String id) {
    return id != null && id.length() > 1 && id.charAt(0) == 'c' && Character.isDigit(id.charAt(1));
  }

  public static boolean isNodeId(String id) {
    return id != null && id.length() > 1 && id.charAt(0) == 'n' && Character.isDigit(id.charAt(1));
  }
}
