package glomers.harness.net;

import java.util.Map;

/**
 * One message in flight: Maelstrom's envelope plus its delivery deadline.
 *
 * @param id the network-wide message id (Maelstrom's {@code :id}), from 0
 * @param deadline {@code System.nanoTime()} at which it may be delivered
 */
public record Envelope(long id, String src, String dest, Object body, long deadline) {
  /** The message's {@code body.type}, or null. */
  public String type() {
    if (!(body instanceof Map<?, ?> m)) return null;
    Object t = m.get("type");
    return t instanceof String s ? s : null;
  }
}
