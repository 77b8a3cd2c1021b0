package glomers.harness.check;

/** A checker's verdict; merged as Maelstrom merges it: false beats unknown beats true. */
public enum Validity {
  TRUE,
  UNKNOWN,
  FALSE;

  /** The JSON value for {@code "valid?"}: {@code true}, {@code false} or {@code "unknown"}. */
  public Object json() {
    return switch (this) {
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case UNKNOWN -> "unknown";
    };
  }

  public static Validity of(boolean valid) {
    return valid ? TRUE : FALSE;
  }

  /** Reads a {@code "valid?"} JSON value back. */
  public static Validity fromJson(Object v) {
    if (Boolean.TRUE.equals(v)) return TRUE;
    if (Boolean.FALSE.equals(v)) return FALSE;
    return UNKNOWN;
  }

  public Validity merge(Validity other) {
    return this.ordinal() >= other.ordinal() ? this : other;
  }

  /** Exit code of a test run with this verdict: 0, 1 or 2. */
  public int exitCode() {
    return switch (this) {
      case TRUE -> 0;
      case FALSE -> 1;
      case UNKNOWN -> 2;
    };
  }
}
