package glomers.harness.client;

import glomers.harness.net.Envelope;
import glomers.harness.net.Network;
import glomers.harness.net.UnknownDestinationException;
import glomers.harness.workload.MalformedReplyException;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.RpcErrorException;
import glomers.harness.workload.RpcTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maelstrom's synchronous client ({@code maelstrom.client}): registered on the network as {@code c<k>},
 * one request in flight, {@code msg_id} 1, 2, 3 …; waits for the reply whose {@code in_reply_to} equals
 * the outstanding {@code msg_id} and silently discards anything else (late replies to earlier requests).
 * Error bodies are raised before schema validation.
 */
public final class NetClient implements RpcClient {
  private final String id;
  private final String node;
  private final Network net;
  private long nextMsgId;
  private volatile boolean closed;

  public NetClient(String id, String node, Network net) {
    this.id = id;
    this.node = node;
    this.net = net;
    net.register(id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public Map<String, Object> call(Map<String, Object> body, long timeoutMillis, ReplySchema schema)
      throws RpcTimeoutException, RpcErrorException, MalformedReplyException, InterruptedException {
    if (closed) throw new IllegalStateException("client " + id + " is closed");
    long msgId = ++nextMsgId;
    Map<String, Object> b = new LinkedHashMap<>(body);
    b.put("msg_id", msgId);
    try {
      net.send(id, node, b);
    } catch (UnknownDestinationException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    long deadline = net.clock().nanoTime() + timeoutMillis * 1_000_000L;
    Long want = msgId;
    while (true) {
      long left = deadline - net.clock().nanoTime();
      if (left <= 0) throw new RpcTimeoutException("Client read timeout");
      Envelope e = net.poll(id, left);
      if (e == null) continue;
      if (!(e.body() instanceof Map<?, ?> m) || !want.equals(m.get("in_reply_to"))) continue;
      @SuppressWarnings("unchecked")
      Map<String, Object> reply = (Map<String, Object>) m;
      if ("error".equals(reply.get("type"))) {
        Object code = reply.get("code");
        long c = code instanceof Long l ? l : code instanceof Integer i ? i : -1;
        Object text = reply.get("text");
        throw new RpcErrorException(c, text == null ? null : String.valueOf(text), reply);
      }
      if (schema != null) {
        String v = schema.violations(reply);
        if (v != null) {
          throw new MalformedReplyException("Malformed RPC response from " + node + " (expected " + schema
              + "): " + glomers.protocol.Json.write(reply) + " — " + v, reply);
        }
      }
      return reply;
    }
  }

  /**
   * Unregisters the client: later messages addressed to it are invalid
   * (docs/maelstrom.md#timeouts-and-client-reuse).
   */
  public void close() {
    closed = true;
    net.unregister(id);
  }
}
