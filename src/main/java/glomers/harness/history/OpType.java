package glomers.harness.history;

/** Jepsen's operation types: an invocation and its three possible completions. */
public enum OpType {
  INVOKE,
  /** Definitely happened. */
  OK,
  /** Definitely did not happen. */
  FAIL,
  /** Indeterminate: may or may not have happened, may still happen. */
  INFO;

  private final String keyword = name().toLowerCase();

  public String keyword() {
    return keyword;
  }

  public static OpType parse(String s) {
    return valueOf(s.startsWith(":") ? s.substring(1).toUpperCase() : s.toUpperCase());
  }
}
