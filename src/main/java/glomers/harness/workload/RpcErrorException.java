package glomers.harness.workload;

import glomers.protocol.ErrorCode;
import java.util.Map;

/** The node answered with an {@code error} body (docs/maelstrom.md#errors). */
public final class RpcErrorException extends RpcFailure {
  private static final long serialVersionUID = 1L;

  private final long code;
  private final String text;
  private final transient Map<String, Object> body;

  public RpcErrorException(long code, String text, Map<String, Object> body) {
    super("error " + code + " (" + name(code) + "): " + text);
    this.code = code;
    this.text = text;
    this.body = body;
  }

  public long code() {
    return code;
  }

  /** The error's {@code text}, or null. */
  public String text() {
    return text;
  }

  /** The whole error body. */
  public Map<String, Object> body() {
    return body;
  }

  /** Definite errors mean the operation certainly did not happen; unknown codes are indefinite. */
  public boolean definite() {
    return ErrorCode.isDefinite(code);
  }

  /** Maelstrom's name of the code ({@code "key-does-not-exist"}), {@code "unknown"} for custom codes. */
  public String name() {
    return name(code);
  }

  static String name(long code) {
    ErrorCode c = ErrorCode.of(code);
    return c == null ? "unknown" : c.keyword;
  }
}
