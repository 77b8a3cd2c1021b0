package glomers.harness.workload;

import java.util.Map;

/** The reply did not match the RPC's closed {@link ReplySchema} (Maelstrom's "Malformed RPC response"). */
public final class MalformedReplyException extends RpcFailure {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, Object> body;

  public MalformedReplyException(String message, Map<String, Object> body) {
    super(message);
    this.body = body;
  }

  public Map<String, Object> body() {
    return body;
  }
}
