package glomers.harness.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Maelstrom client connection ({@code c<k>}) bound to one node: at most one request in flight, request
 * {@code msg_id}s 1, 2, 3 … per client. Replies whose {@code in_reply_to} does not match the outstanding
 * request (late replies to earlier timed-out requests) are silently discarded, as in Maelstrom.
 */
public interface RpcClient {
  /** The node this client talks to, e.g. {@code "n0"}. */
  String node();

  /** This client's id, e.g. {@code "c12"}. */
  String id();

  /**
   * Sends {@code body} (a plain Java JSON map with at least {@code "type"}; {@code msg_id} is added) to
   * {@link #node()} and waits for the matching reply.
   *
   * @param schema the closed schema the {@code *_ok} reply must match; null = accept any non-error reply
   * @return the reply body as plain Java values
   * @throws RpcTimeoutException no matching reply within {@code timeoutMillis}
   * @throws RpcErrorException the node answered {@code {"type":"error",...}} (checked before the schema)
   * @throws MalformedReplyException the reply violates {@code schema}
   */
  Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
      throws RpcTimeoutException, RpcErrorException, MalformedReplyException, InterruptedException;

  /**
   * A request body for {@link #call}: {@code type} first, then the given field name/value pairs in order
   * (values may be null), e.g. {@code body("add", "delta", 3L)}.
   */
  static Map<String, Object> body(String type, Object... fields) {
    if (fields.length % 2 != 0) throw new IllegalArgumentException("fields come in name/value pairs");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    for (int i = 0; i < fields.length; i += 2) body.put((String) fields[i], fields[i + 1]);
    return body;
  }
}
