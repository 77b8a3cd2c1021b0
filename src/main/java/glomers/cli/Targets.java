package glomers.cli;

import glomers.protocol.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a catalogue entry's numeric targets against a run's results, for {@code run.sh}:
 *
 * <pre>
 *   Targets check RESULTS [TARGET…]   RESULTS = results.json (embedded harness) or results.edn (real Maelstrom)
 *   Targets workload-supported NAME   exit 0 iff the embedded harness implements Maelstrom workload NAME
 * </pre>
 *
 * A target is {@code <path><op><number>}, e.g. {@code workload.stable-latencies.0.5<400}: the path walks
 * nested maps by key (keys may contain dots, as the quantile {@code 0.5} does: the longest matching key
 * wins), {@code op} is one of {@code < <= > >=}. {@code check} prints one line,
 * {@code valid?=true  net.servers.msgs-per-op=12.3 (<30 ok)  …}, and exits 0 iff {@code valid?} is true
 * and every target holds; a missing path fails its target. Key figures are printed even with no targets.
 */
public final class Targets {
  private Targets() {}

  /** One parsed target. */
  public record Target(String path, String op, double bound) {
    static final Pattern SYNTAX = Pattern.compile("^([^<>=]+?)(<=|>=|<|>)(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)$");

    public static Target parse(String s) {
      Matcher m = SYNTAX.matcher(s.trim());
      if (!m.matches()) throw new IllegalArgumentException("bad target '" + s + "' (expected <path><op><number>, op one of < <= > >=)");
      return new Target(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
    }

    public boolean holds(double v) {
      return switch (op) {
        case "<" -> v < bound;
        case "<=" -> v <= bound;
        case ">" -> v > bound;
        case ">=" -> v >= bound;
        default -> throw new IllegalStateException(op);
      };
    }

    @Override
    public String toString() {
      return path + op + fmt(bound);
    }
  }

  /** The outcome of one target: the value found (null if the path is missing) and whether it holds. */
  public record Outcome(Target target, Double value, boolean ok) {
    @Override
    public String toString() {
      return target.path + "=" + (value == null ? "missing" : fmt(value)) + " (" + target.op + fmt(target.bound) + (ok ? " ok" : " MISSED") + ")";
    }
  }

  /** Looks up a dotted path; keys may themselves contain dots (longest key first). Null if absent. */
  public static Object lookup(Object root, String path) {
    if (path.isEmpty()) return root;
    if (!(root instanceof Map<?, ?> map)) return null;
    // candidate key lengths: every '.' position and the whole rest, longest first
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < path.length(); i++) if (path.charAt(i) == '.') cuts.add(i);
    cuts.add(path.length());
    for (int c = cuts.size() - 1; c >= 0; c--) {
      int cut = cuts.get(c);
      String key = path.substring(0, cut);
      if (map.containsKey(key)) {
        Object found = lookup(map.get(key), cut == path.length() ? "" : path.substring(cut + 1));
        if (found != null) return found;
      }
    }
    return null;
  }

  public static Outcome evaluate(Map<String, Object> results, Target t) {
    Object v = lookup(results, t.path);
    if (!(v instanceof Number n)) return new Outcome(t, null, false);
    double d = n.doubleValue();
    return new Outcome(t, d, t.holds(d));
  }

  /** Reads results.json, or results.edn (keywords lose their colon; numeric keys become their printed form). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Path file) throws IOException {
    String text = Files.readString(file);
    if (file.toString().endsWith(".edn")) return (Map<String, Object>) new Edn(text).readTop();
    return Json.parseMap(text);
  }

  /** The key figures printed for every run, when present. */
  static final List<String> KEY_FIGURES =
      List.of(
          "stats.count",
          "availability.ok-fraction",
          "net.all.msgs-per-op",
          "net.servers.msgs-per-op",
          "workload.stable-latencies.0.5",
          "workload.stable-latencies.1");

  /** The summary line and whether the run passes (valid and every target met). */
  public static Map.Entry<String, Boolean> check(Map<String, Object> results, List<Target> targets) {
    Object valid = results.get("valid?");
    StringBuilder line = new StringBuilder("valid?=" + valid);
    boolean pass = Boolean.TRUE.equals(valid);
    List<String> shown = new ArrayList<>();
    for (Target t : targets) {
      Outcome o = evaluate(results, t);
      pass &= o.ok;
      line.append("  ").append(o);
      shown.add(t.path);
    }
    for (String k : KEY_FIGURES) {
      if (shown.contains(k)) continue;
      Object v = lookup(results, k);
      if (v instanceof Number n) line.append("  ").append(k).append('=').append(fmt(n.doubleValue()));
    }
    return Map.entry(line.toString(), pass);
  }

  static String fmt(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("check")) {
      List<Target> targets = new ArrayList<>();
      for (int i = 2; i < args.length; i++) for (String t : args[i].trim().split("\\s+")) if (!t.isEmpty()) targets.add(Target.parse(t));
      var r = check(read(Path.of(args[1])), targets);
      System.out.println(r.getKey());
      System.exit(r.getValue() ? 0 : 1);
    }
    if (args.length == 2 && args[0].equals("workload-supported")) {
      System.exit(glomers.harness.workload.Workloads.known(args[1]) ? 0 : 1);
    }
    System.err.println("usage: Targets check RESULTS [TARGET…] | Targets workload-supported NAME");
    System.exit(2);
  }

  /**
   * A small, tolerant EDN reader for Maelstrom's results.edn: maps, vectors, lists, sets (→ lists),
   * keywords (→ strings without the colon), strings, numbers (incl. {@code N}/{@code M} suffixes and
   * ratios), booleans, nil, symbols, characters; tagged literals such as {@code #jepsen.history.Op{…}}
   * read as their value; {@code #_} discards. Map keys become strings (numbers in their printed form).
   */
  static final class Edn {
    private final String s;
    private int i;

    Edn(String s) {
      this.s = s;
    }

    Object readTop() {
      Object v = read();
      return v;
    }

    private void skip() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c) || c == ',') i++;
        else if (c == ';') {
          while (i < s.length() && s.charAt(i) != '\n') i++;
        } else break;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("EDN: " + what + " at offset " + i);
    }

    Object read() {
      skip();
      if (i >= s.length()) throw error("unexpected end");
      char c = s.charAt(i);
      switch (c) {
        case '{': i++; return readMap('}');
        case '[': i++; return readSeq(']');
        case '(': i++; return readSeq(')');
        case '"': return readString();
        case ':': i++; return token();
        case '\\': {
          i++;
          String t = token();
          return t.isEmpty() ? String.valueOf(s.charAt(i++)) : t;
        }
        case '#': {
          i++;
          char n = s.charAt(i);
          if (n == '{') { i++; return readSeq('}'); }
          if (n == '_') { i++; read(); return read(); }
          if (n == '#') { i++; String t = token(); return t.equals("Inf") ? Double.POSITIVE_INFINITY : t.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.NaN; }
          token(); // tag name
          return read();
        }
        default: {
          String t = token();
          if (t.isEmpty()) throw error("unexpected '" + c + "'");
          return atom(t);
        }
      }
    }

    private String token() {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c) || c == ',' || "{}[]()\";".indexOf(c) >= 0) break;
        if (c == '#' && i == start) break;
        i++;
      }
      return s.substring(start, i);
    }

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+N?");
    private static final Pattern RATIO = Pattern.compile("([-+]?[0-9]+)/([0-9]+)");

    private static Object atom(String t) {
      switch (t) {
        case "nil": return null;
        case "true": return Boolean.TRUE;
        case "false": return Boolean.FALSE;
        default: break;
      }
      if (INT.matcher(t).matches()) {
        BigInteger b = new BigInteger(t.endsWith("N") ? t.substring(0, t.length() - 1) : t);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
      }
      Matcher r = RATIO.matcher(t);
      if (r.matches()) return new BigDecimal(r.group(1)).doubleValue() / new BigDecimal(r.group(2)).doubleValue();
      char c = t.charAt(0);
      if (Character.isDigit(c) || ((c == '-' || c == '+') && t.length() > 1 && Character.isDigit(t.charAt(1)))) {
        try {
          return Double.parseDouble(t.endsWith("M") ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
          return t;
        }
      }
      return t; // symbol
    }

    private String readString() {
      StringBuilder b = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) throw error("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
            default -> b.append(e);
          }
        } else b.append(c);
      }
    }

    private List<Object> readSeq(char close) {
      List<Object> out = new ArrayList<>();
      while (true) {
        skip();
        if (i >= s.length()) throw error("unterminated collection");
        if (s.charAt(i) == close) { i++; return out; }
        out.add(read());
      }
    }

    private Map<String, Object> readMap(char close) {
      Map<String, Object> out = new LinkedHashMap<>();
      while (true) {
        skip();
        if (i >= s.length()) throw error("unterminated map");
        if (s.charAt(i) == close) { i++; return out; }
        Object k = read();
        Object v = read();
        out.put(keyString(k), v);
      }
    }

    private static String keyString(Object k) {
      if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return Double.toString(d);
      return String.valueOf(k);
    }
  }
}
