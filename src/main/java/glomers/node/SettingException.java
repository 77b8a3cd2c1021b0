package glomers.node;

/**
 * A {@code key=value} setting the workload cannot run with. Thrown from {@link WorkloadHandler#install} or
 * an {@link Node#onInit} callback (for values that need the node ids, such as a node name); a real process
 * then prints the message as one line on stderr and exits with status 2 instead of serving.
 */
public final class SettingException extends RuntimeException {
  public SettingException(String message) {
    super(message);
  }

  /** Parses a numeric setting, or fails naming it. */
  public static long parseLong(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new SettingException("setting " + key + "=" + value + ": expected an integer");
    }
  }

  /** Parses a boolean setting ({@code true} or {@code false}), or fails naming it. */
  public static boolean parseBoolean(String key, String value) {
    if (value.equals("true") || value.equals("false")) return value.equals("true");
    throw new SettingException("setting " + key + "=" + value + ": expected true or false");
  }
}
