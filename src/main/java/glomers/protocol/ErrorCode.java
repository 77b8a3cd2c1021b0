package glomers.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Maelstrom's error codes (docs/maelstrom.md#errors). A <em>definite</em> error means the operation certainly did
 * not happen; an indefinite one means it may have happened or may still happen. Codes this enum does not
 * know (custom codes, ≥ 1000) are indefinite, as Maelstrom treats them.
 */
public enum ErrorCode {
  TIMEOUT(0, "timeout", false),
  NODE_NOT_FOUND(1, "node-not-found", true),
  NOT_SUPPORTED(10, "not-supported", true),
  TEMPORARILY_UNAVAILABLE(11, "temporarily-unavailable", true),
  MALFORMED_REQUEST(12, "malformed-request", true),
  CRASH(13, "crash", false),
  ABORT(14, "abort", true),
  KEY_DOES_NOT_EXIST(20, "key-does-not-exist", true),
  KEY_ALREADY_EXISTS(21, "key-already-exists", true),
  PRECONDITION_FAILED(22, "precondition-failed", true),
  TXN_CONFLICT(30, "txn-conflict", true);

  private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

  static {
    for (ErrorCode c : values()) BY_CODE.put(c.code, c);
  }

  public final int code;
  /** Maelstrom's keyword for the code, without the colon (e.g. {@code "key-does-not-exist"}). */
  public final String keyword;
  public final boolean definite;

  ErrorCode(int code, String keyword, boolean definite) {
    this.code = code;
    this.keyword = keyword;
    this.definite = definite;
  }

  /** The known code, or null for a custom/unknown code. */
  public static ErrorCode of(long code) {
    return code > Integer.MAX_VALUE || code < 0 ? null : BY_CODE.get((int) code);
  }

  /** Whether Maelstrom treats this numeric code as definite; unknown codes are indefinite. */
  public static boolean isDefinite(long code) {
    ErrorCode c = of(code);
    return c != null && c.definite;
  }
}
