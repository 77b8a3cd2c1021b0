package glomers.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON codec both programs use: one compact object per line.
 *
 * <p>Integers always parse as {@code long} (or {@code BigInteger} when larger) and decimals as
 * {@code double}, so that values compare the way Maelstrom's Clojure checkers compare them: {@code 1}
 * and {@code 1.0} are different values (docs/maelstrom.md#wire-format-and-envelope-validation). Thread-safe.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Fallback for the rare line holding an integer beyond 64 bits: {@code USE_LONG_FOR_INTS} makes Jackson
   * refuse those, while Maelstrom (Cheshire) reads them as big integers. Only used after such a refusal.
   */
  private static final ObjectMapper BIG =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Json() {}

  /** A fresh empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses one line as a JSON tree; throws on malformed input or trailing garbage. */
  public static JsonNode parseTree(String line) throws JsonProcessingException {
    try {
      return MAPPER.readTree(line);
    } catch (InputCoercionException e) {
      return BIG.readTree(line);
    }
  }

  /**
   * Parses one line of any JSON value into plain Java values (see {@link #parseMap}); integers beyond 64
   * bits become {@code BigInteger}, all others {@code Long}.
   */
  public static Object parsePlain(String line) throws JsonProcessingException {
    Object v = parseStreaming(line);
    if (v != NOT_STREAMED) return v;
    try {
      return MAPPER.readValue(line, Object.class);
    } catch (InputCoercionException e) {
      return narrow(BIG.readValue(line, Object.class));
    }
  }

  /** {@link #parseStreaming}'s answer for a line it leaves to the mapper. */
  private static final Object NOT_STREAMED = new Object();

  /**
   * The mapper's plain values for a well-formed line of objects, arrays, strings, 64-bit integers, decimals,
   * booleans and nulls, read straight off the parser, as the mapper's untyped deserialiser reads them
   * (a repeated key keeps its first place and its last value); {@link #NOT_STREAMED} for anything else
   * (malformed, a bigger integer, trailing tokens), which the mapper then parses or rejects itself.
   */
  private static Object parseStreaming(String line) {
    try (JsonParser p = MAPPER.getFactory().createParser(line)) {
      JsonToken t = p.nextToken();
      if (t == null) return NOT_STREAMED;
      Object v = readStreaming(p, t);
      return p.nextToken() == null ? v : NOT_STREAMED;
    } catch (IOException | RuntimeException e) {
      return NOT_STREAMED;
    }
  }

  private static Object readStreaming(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
          String k = p.currentName();
          Object v = readStreaming(p, p.nextToken());
          if (v == NOT_STREAMED) return v;
          m.put(k, v);
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          Object v = readStreaming(p, e);
          if (v == NOT_STREAMED) return v;
          l.add(v);
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NOT_STREAMED : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return NOT_STREAMED;
    }
  }

  /** BigIntegers that fit in a long become Longs, recursively, so equality matches the fast path. */
  private static Object narrow(Object v) {
    if (v instanceof BigInteger b) {
      return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0 ? (Object) b.longValue() : b;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(narrow(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), narrow(e.getValue()));
      return out;
    }
    return v;
  }

  /**
   * Parses one line into plain Java values: {@code Map<String,Object>}, {@code List<Object>},
   * {@code Long}/{@code BigInteger}, {@code Double}, {@code String}, {@code Boolean}, {@code null}.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseMap(String line) throws JsonProcessingException {
    Object v = parsePlain(line);
    if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
    throw new JsonParseException(null, "expected a JSON object, got: " + line);
  }

  /** Plain Java values (as {@link #parseMap}) for a tree. */
  public static Object toPlain(JsonNode node) {
    try {
      return MAPPER.convertValue(node, Object.class);
    } catch (IllegalArgumentException e) { // a BigIntegerNode beyond 64 bits
      return narrow(BIG.convertValue(node, Object.class));
    }
  }

  /** Compact single-line JSON of a tree or plain value; never contains a newline. */
  public static String write(Object value) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = generator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise " + value, e);
    }
    return out.toString();
  }

  /**
   * A generator that writes exactly what {@link #write} returns for each value given to
   * {@link #write(JsonGenerator, Object)}, with nothing between values: one generator can stream a whole
   * JSON-lines file (the caller adds each newline with {@code writeRaw}).
   */
  public static JsonGenerator generator(Writer out) throws IOException {
    JsonGenerator g = MAPPER.getFactory().createGenerator(out);
    g.setRootValueSeparator(null);
    return g;
  }

  /**
   * Writes {@code value} as the mapper would. Plain values (maps with string keys, lists, strings, longs,
   * ints, doubles, booleans, null) are streamed straight to the generator, which is what the mapper's own
   * serialisers do for them, without its per-call serialiser lookup; anything else is the mapper's.
   */
  public static void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Map<?, ?> m && stringKeys(m)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) write(g, o);
      g.writeEndArray();
    } else {
      g.writeObject(value);
    }
  }

  /** Appends {@link #write}{@code (s)} for a string; one that needs no escape is copied as it is. */
  public static StringBuilder appendString(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') return sb.append(write(s));
    }
    return sb.append('"').append(s).append('"');
  }

  /**
   * From JDK 19 on, {@link Double#toString} gives the shortest decimal that reads back as the same double
   * (JDK-4511638), so for {@code n / 1000.0} in its plain-notation range that is exactly n's decimal with
   * three fractional digits, trailing zeros dropped.
   */
  private static final boolean SHORTEST_DOUBLES = Runtime.version().feature() >= 19;

  /** Appends {@code write(n / 1000.0)} (e.g. milliseconds from microseconds) without formatting a double. */
  public static StringBuilder appendThousandths(StringBuilder sb, long n) {
    // |n / 1000.0| in [0.001, 1e7), or 0: Double.toString's plain notation
    if (!SHORTEST_DOUBLES || n <= -10_000_000_000L || n >= 10_000_000_000L) return sb.append(n / 1000.0);
    if (n < 0) sb.append('-');
    long a = Math.abs(n);
    sb.append(a / 1000).append('.');
    int frac = (int) (a % 1000);
    if (frac == 0) return sb.append('0');
    if (frac < 100) sb.append('0');
    if (frac < 10) sb.append('0');
    while (frac % 10 == 0) frac /= 10;
    return sb.append(frac);
  }

  private static boolean stringKeys(Map<?, ?> m) {
    for (Object k : m.keySet()) if (!(k instanceof String)) return false;
    return true;
  }
}
