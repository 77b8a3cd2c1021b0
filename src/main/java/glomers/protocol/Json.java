package glomers.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The one JSON codec both programs use: one compact object per line.
 *
 * <p>Integers always parse as {@code long} (or {@code BigInteger} when larger) and decimals as
 * {@code double}, so that values compare the way Maelstrom's Clojure checkers compare them: {@code 1}
 * and {@code 1.0} are different values (protocol.md §2). Thread-safe.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /** A fresh empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses one line as a JSON tree; throws on malformed input or trailing garbage. */
  public static JsonNode parseTree(String line) throws JsonProcessingException {
    return MAPPER.readTree(line);
  }

  /**
   * Parses one line into plain Java values: {@code Map<String,Object>}, {@code List<Object>},
   * {@code Long}/{@code BigInteger}, {@code Double}, {@code String}, {@code Boolean}, {@code null}.
   */
  public static Map<String, Object> parseMap(String line) throws JsonProcessingException {
    return MAPPER.readValue(line, MAP);
  }

  /** Plain Java values (as {@link #parseMap}) for a tree. */
  public static Object toPlain(JsonNode node) {
    return MAPPER.convertValue(node, Object.class);
  }

  /** Compact single-line JSON of a tree or plain value; never contains a newline. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value, e);
    }
  }
}
