package glomers.harness.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pure key-value semantics shared by the KV services (docs/maelstrom.md#kv-api). States are immutable maps (never
 * mutated after creation); keys and values are plain JSON values compared structurally, so {@code 1L}
 * and {@code 1.0} differ as in Maelstrom.
 */
final class Kv {
  private Kv() {}

  static final Map<Object, Object> EMPTY = Map.of();

  /**
   * The outcome of applying one request to one state.
   *
   * @param state the state afterwards (the same instance when unchanged)
   * @param reply the reply body without {@code in_reply_to}, or null for an unknown request type
   */
  record Result(Map<Object, Object> state, Map<String, Object> reply) {}

  /** Applies {@code body} to {@code s}. {@code honourCreate}: lww-kv ignores create_if_not_exists. */
  static Result apply(Map<Object, Object> s, Map<String, Object> body, boolean honourCreate) {
    Object type = body.get("type");
    Object key = body.get("key");
    if ("read".equals(type)) {
      if (!s.containsKey(key)) return new Result(s, error(20, "key does not exist"));
      Map<String, Object> r = ok("read_ok");
      r.put("value", s.get(key));
      return new Result(s, r);
    }
    if ("write".equals(type)) {
      Object v = body.get("value");
      if (s.containsKey(key) && java.util.Objects.equals(s.get(key), v)) return new Result(s, ok("write_ok"));
      return new Result(put(s, key, v), ok("write_ok"));
    }
    if ("cas".equals(type)) {
      Object from = body.get("from");
      Object to = body.get("to");
      if (!s.containsKey(key)) {
        if (honourCreate && Boolean.TRUE.equals(body.get("create_if_not_exists"))) {
          return new Result(put(s, key, to), ok("cas_ok"));
        }
        return new Result(s, error(20, "key does not exist"));
      }
      Object cur = s.get(key);
      if (!java.util.Objects.equals(cur, from)) {
        return new Result(s, error(22, "current value " + show(cur) + " is not " + show(from)));
      }
      if (java.util.Objects.equals(cur, to)) return new Result(s, ok("cas_ok"));
      return new Result(put(s, key, to), ok("cas_ok"));
    }
    return new Result(s, null);
  }

  private static Map<Object, Object> put(Map<Object, Object> s, Object k, Object v) {
    Map<Object, Object> m = new HashMap<>(s);
    m.put(k, v);
    return java.util.Collections.unmodifiableMap(m);
  }

  static Map<String, Object> ok(String type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    return m;
  }

  static Map<String, Object> error(long code, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "error");
    m.put("code", code);
    m.put("text", text);
    return m;
  }

  private static String show(Object v) {
    return glomers.protocol.Json.write(v);
  }
}
