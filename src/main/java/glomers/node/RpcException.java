package glomers.node;

import glomers.protocol.ErrorCode;

/**
 * A Maelstrom error: thrown by a handler to answer with {@code {"type":"error","code":…}}, and the failure
 * of an {@link Node#rpc} future when the peer answered with an error or did not answer in time (code 0).
 */
public class RpcException extends RuntimeException {
  private final long code;

  public RpcException(long code, String text) {
    super(text, null, false, false);
    this.code = code;
  }

  public RpcException(ErrorCode code, String text) {
    this(code.code, text);
  }

  public long code() {
    return code;
  }

  /** Known code, or null for a custom one. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  public boolean isDefinite() {
    return ErrorCode.isDefinite(code);
  }

  public boolean isTimeout() {
    return code == ErrorCode.TIMEOUT.code;
  }

  public static RpcException malformed(String text) {
    return new RpcException(ErrorCode.MALFORMED_REQUEST, text);
  }

  public static RpcException unavailable(String text) {
    return new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, text);
  }

  @Override
  public String toString() {
    return "RpcException(" + code + (errorCode() != null ? " " + errorCode().keyword : "") + ": " + getMessage() + ")";
  }
}
