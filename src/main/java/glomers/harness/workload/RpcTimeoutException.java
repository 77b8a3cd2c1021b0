package glomers.harness.workload;

/** No reply within the RPC timeout. Maelstrom records it as {@code :error :net-timeout}. */
public final class RpcTimeoutException extends RpcFailure {
  private static final long serialVersionUID = 1L;

  public RpcTimeoutException(String message) {
    super(message);
  }
}
