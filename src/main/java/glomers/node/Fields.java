package glomers.node;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.protocol.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to request fields for handlers. A missing or ill-typed field throws
 * {@link RpcException} with code 12 (malformed-request), which the runtime turns into an error reply, so
 * a bad request is refused definitely instead of crashing the handler half-way (which would answer 13,
 * indefinite). Call these before changing any state.
 */
public final class Fields {
  private Fields() {}

  /** The field, which must be present (JSON {@code null} counts as present). */
  public static JsonNode require(Message msg, String field) {
    JsonNode v = msg.body().get(field);
    if (v == null) throw RpcException.malformed(msg.type() + " needs a '" + field + "' field");
    return v;
  }

  /** An integer field that fits a {@code long} ({@code 1.0} is not an integer). */
  public static long requireLong(Message msg, String field) {
    JsonNode v = require(msg, field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw illTyped(msg, field, "an integer", v);
    return v.longValue();
  }

  public static String requireString(Message msg, String field) {
    JsonNode v = require(msg, field);
    if (!v.isTextual()) throw illTyped(msg, field, "a string", v);
    return v.textValue();
  }

  /** An array field. */
  public static JsonNode requireArray(Message msg, String field) {
    JsonNode v = require(msg, field);
    if (!v.isArray()) throw illTyped(msg, field, "an array", v);
    return v;
  }

  /** An object field. */
  public static JsonNode requireObject(Message msg, String field) {
    JsonNode v = require(msg, field);
    if (!v.isObject()) throw illTyped(msg, field, "an object", v);
    return v;
  }

  /** An array of integers that fit a {@code long}. */
  public static List<Long> requireLongList(Message msg, String field) {
    JsonNode v = requireArray(msg, field);
    List<Long> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToLong()) throw illTyped(msg, field, "an array of integers", v);
      out.add(e.longValue());
    }
    return out;
  }

  private static RpcException illTyped(Message msg, String field, String expected, JsonNode got) {
    String shown = got.toString();
    if (shown.length() > 80) shown = shown.substring(0, 77) + "...";
    return RpcException.malformed(msg.type() + ": '" + field + "' must be " + expected + ", got " + shown);
  }
}
