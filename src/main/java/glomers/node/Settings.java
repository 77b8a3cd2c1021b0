package glomers.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The {@code key=value} settings a workload accepts, each with the form of its value.
 *
 * <p>A node is started by Maelstrom with whatever trailing arguments the user typed; a misspelt key or a
 * value a handler cannot parse would otherwise be ignored silently or crash the node at {@code init},
 * which Maelstrom reports as a timeout far from the cause. Checking the settings before the node reads
 * stdin turns both into one line on stderr naming the valid settings, and a non-zero exit.
 *
 * <p>The check is about form only (a number, a boolean, one of a few words); what a value means for the
 * cluster (a {@code hub} that names an existing node) needs the node ids and is checked at {@code init}.
 */
public final class Settings {
  /** One accepted key: its name, the form shown to the user, and the test a value must pass. */
  public record Key(String name, String form, Predicate<String> valid) {
    @Override
    public String toString() {
      return name + "=" + form;
    }
  }

  /** Accepts no setting at all. */
  public static final Settings NONE = new Settings(List.of());

  private final Map<String, Key> keys = new LinkedHashMap<>();

  private Settings(List<Key> keys) {
    for (Key k : keys) {
      if (this.keys.putIfAbsent(k.name, k) != null) throw new IllegalArgumentException("duplicate setting " + k.name);
    }
  }

  public static Settings of(Key... keys) {
    return new Settings(List.of(keys));
  }

  /** A duration in whole milliseconds, 0 or more. */
  public static Key millis(String name) {
    return new Key(name, "<ms>", v -> atLeast(v, 0, Long.MAX_VALUE));
  }

  /** A timer period in whole milliseconds, at least 1 (a period of 0 would spin the event loop). */
  public static Key period(String name) {
    return new Key(name, "<ms≥1>", v -> atLeast(v, 1, Long.MAX_VALUE));
  }

  /** A count (a batch size, a window) that fits an {@code int}, at least 1. */
  public static Key count(String name) {
    return new Key(name, "<n≥1>", v -> atLeast(v, 1, Integer.MAX_VALUE));
  }

  public static Key bool(String name) {
    return oneOf(name, "true", "false");
  }

  public static Key oneOf(String name, String... values) {
    List<String> allowed = List.of(values);
    return new Key(name, String.join("|", allowed), allowed::contains);
  }

  /** Any non-empty word; its meaning is checked later (at {@code init}, for instance). */
  public static Key word(String name) {
    return new Key(name, "<name>", v -> !v.isBlank());
  }

  /** The declared keys, in declaration order. */
  public List<Key> keys() {
    return List.copyOf(keys.values());
  }

  /**
   * Checks every given setting against the declared keys.
   *
   * @throws IllegalArgumentException naming the first unknown key or bad value, and every valid setting
   */
  public void check(Map<String, String> given) {
    for (Map.Entry<String, String> e : given.entrySet()) {
      Key k = keys.get(e.getKey());
      if (k == null) throw problem("unknown setting '" + e.getKey() + "'");
      if (!k.valid.test(e.getValue())) {
        throw problem("bad value '" + e.getValue() + "' for setting " + e.getKey() + " (expected " + k.form + ")");
      }
    }
  }

  /** The valid settings on one line, e.g. {@code mode=clock|owner repl-ms=<ms>}, or {@code none}. */
  public String describe() {
    return keys.isEmpty() ? "none" : keys.values().stream().map(Key::toString).collect(Collectors.joining(" "));
  }

  private IllegalArgumentException problem(String what) {
    return new IllegalArgumentException(what + "; valid settings: " + describe());
  }

  private static boolean atLeast(String v, long min, long max) {
    try {
      long n = Long.parseLong(v);
      return n >= min && n <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
