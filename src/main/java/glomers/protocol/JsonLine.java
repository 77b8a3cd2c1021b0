package glomers.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.Map;

/**
 * The tree half of {@link Json} without an {@code ObjectMapper}: parses one line into a {@link JsonNode}
 * tree and writes a tree back, on Jackson's streaming layer only. Results are identical to
 * {@code Json.MAPPER.readTree} / {@code writeValueAsString} for trees (a differential test checks it):
 * integers become {@code LongNode} (or {@code BigIntegerNode} beyond 64 bits), decimals
 * {@code DoubleNode}, a duplicate key keeps the last value, trailing tokens are an error.
 *
 * <p>Why it exists: constructing Jackson's {@code ObjectMapper} costs about 50 ms of CPU in a fresh JVM,
 * half of a node's start-up CPU, and 25 nodes start at once on 2 cores. The node runtime parses and
 * writes every protocol line through this class, so a node that never touches {@code Json.MAPPER}
 * never pays for it. Thread-safe.
 */
public final class JsonLine {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonLine() {}

  /** A fresh empty object node (no {@code ObjectMapper} involved). */
  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** A fresh empty array node (no {@code ObjectMapper} involved). */
  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Parses one JSON text as a tree; throws on malformed input or trailing tokens. Blank input → MissingNode. */
  public static JsonNode parseTree(String line) throws JsonProcessingException {
    try (JsonParser p = FACTORY.createParser(line)) {
      JsonToken t = p.nextToken();
      if (t == null) return MissingNode.getInstance();
      JsonNode root = read(p, t);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "Trailing token (of type " + trailing + ") found after value");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("I/O error reading a string", e);
    }
  }

  private static JsonNode read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          o.set(key, read(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) a.add(read(p, e));
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected token " + t);
    }
  }

  /** Compact single-line JSON of a tree (never contains a newline). */
  public static String write(JsonNode tree) {
    StringWriter w = new StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      if (!writeNode(g, tree)) return Json.write(tree); // an exotic node (POJO): let the mapper do it
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise " + tree, e);
    }
    return w.toString();
  }

  /** Writes the node as Json.MAPPER would with default settings; false if it holds a node type we leave to the mapper. */
  private static boolean writeNode(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT:
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          if (!writeNode(g, e.getValue())) return false;
        }
        g.writeEndObject();
        return true;
      case ARRAY:
        g.writeStartArray();
        for (JsonNode e : n) if (!writeNode(g, e)) return false;
        g.writeEndArray();
        return true;
      case STRING:
        g.writeString(n.textValue());
        return true;
      case BOOLEAN:
        g.writeBoolean(n.booleanValue());
        return true;
      case NULL:
        g.writeNull();
        return true;
      case NUMBER:
        switch (n.numberType()) {
          case INT: g.writeNumber(n.intValue()); return true;
          case LONG: g.writeNumber(n.longValue()); return true;
          case BIG_INTEGER: g.writeNumber(n.bigIntegerValue()); return true;
          case DOUBLE: g.writeNumber(n.doubleValue()); return true;
          case FLOAT: g.writeNumber(n.floatValue()); return true;
          default: return false; // BigDecimal: formatting depends on mapper features
        }
      default:
        return false; // BINARY, POJO, MISSING
    }
  }

  /**
   * A tree for a plain Java value: {@link JsonNode}s as they are, strings, booleans, integral numbers,
   * doubles and null directly, lists/maps recursively; anything else through {@code Json.MAPPER}.
   */
  public static JsonNode toTree(Object value) {
    if (value == null) return NODES.nullNode();
    if (value instanceof JsonNode n) return n;
    if (value instanceof String s) return NODES.textNode(s);
    if (value instanceof Long l) return NODES.numberNode(l);
    if (value instanceof Integer i) return NODES.numberNode((long) i);
    if (value instanceof Boolean b) return NODES.booleanNode(b);
    if (value instanceof Double d) return NODES.numberNode(d);
    if (value instanceof BigInteger b) return NODES.numberNode(b);
    if (value instanceof Iterable<?> it) {
      ArrayNode a = NODES.arrayNode();
      for (Object e : it) a.add(toTree(e));
      return a;
    }
    if (value instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
      ObjectNode o = NODES.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) o.set((String) e.getKey(), toTree(e.getValue()));
      return o;
    }
    return Json.MAPPER.valueToTree(value);
  }
}
