package glomers.harness.workload;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A closed reply schema, as Maelstrom's {@code defrpc} checks it (docs/maelstrom.md#bodies-rpc-and-init): {@code
 * type} must equal the given string, {@code in_reply_to} must be an integer, {@code msg_id} is an optional
 * integer, and the listed fields (required unless declared optional) must be present with their types; any other
 * key makes the reply malformed. Example: {@code ReplySchema.of("read_ok", Map.of("messages",
 * ReplySchema.Type.LIST_OF_INTEGERS))}.
 */
public final class ReplySchema {
  /** A field type: a named predicate over plain Java JSON values. */
  public static final class Type {
    private final String name;
    private final Predicate<Object> test;

    private Type(String name, Predicate<Object> test) {
      this.name = name;
      this.test = test;
    }

    /** A custom type, e.g. {@code Type.of("[int int]", v -> ...)}. */
    public static Type of(String name, Predicate<Object> test) {
      return new Type(name, test);
    }

    public boolean accepts(Object v) {
      return test.test(v);
    }

    @Override
    public String toString() {
      return name;
    }

    /** Prismatic {@code s/Any}: anything, including null. */
    public static final Type ANY = of("Any", v -> true);
    /** Prismatic {@code s/Int}: a JSON integer (never {@code 1.0}). */
    public static final Type INTEGER = of("Int", ReplySchema::isInteger);
    public static final Type STRING = of("Str", v -> v instanceof String);
    public static final Type BOOLEAN = of("Bool", v -> v instanceof Boolean);
    /** Prismatic {@code s/Num}: any JSON number. */
    public static final Type NUMBER = of("Num", v -> v instanceof Number);
    public static final Type LIST = of("[Any]", v -> v instanceof List);
    public static final Type MAP = of("{Any Any}", v -> v instanceof Map);
    public static final Type LIST_OF_INTEGERS = listOf(INTEGER);

    /** A JSON array whose every element has type {@code element}. */
    public static Type listOf(Type element) {
      return of("[" + element + "]", v -> {
        if (!(v instanceof List<?> l)) return false;
        for (Object o : l) if (!element.accepts(o)) return false;
        return true;
      });
    }

    /** A JSON object whose every value has type {@code value} (keys are always strings in JSON). */
    public static Type mapOf(Type value) {
      return of("{Str " + value + "}", v -> {
        if (!(v instanceof Map<?, ?> m)) return false;
        for (Object o : m.values()) if (!value.accepts(o)) return false;
        return true;
      });
    }

    /** {@code value} or JSON null (Prismatic {@code s/maybe}). */
    public static Type nullable(Type value) {
      return of("(maybe " + value + ")", v -> v == null || value.accepts(v));
    }
  }

  private final String type;
  private final Map<String, Type> required;
  private final Map<String, Type> optional;

  private ReplySchema(String type, Map<String, Type> required, Map<String, Type> optional) {
    this.type = type;
    this.required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    this.optional = Collections.unmodifiableMap(new LinkedHashMap<>(optional));
  }

  /** A schema with exactly these required fields (besides type/in_reply_to/msg_id). */
  public static ReplySchema of(String type, Map<String, Type> fields) {
    return new ReplySchema(type, fields, Map.of());
  }

  /** A schema with no fields besides type/in_reply_to/msg_id, e.g. {@code "broadcast_ok"}. */
  public static ReplySchema of(String type) {
    return of(type, Map.of());
  }

  /** This schema plus an optional field. */
  public ReplySchema optional(String field, Type t) {
    Map<String, Type> o = new LinkedHashMap<>(optional);
    o.put(field, t);
    return new ReplySchema(type, required, o);
  }

  public String type() {
    return type;
  }

  /** Null when {@code body} matches; otherwise a description of every violation, Prismatic-style. */
  public String violations(Map<String, Object> body) {
    List<String> errs = new ArrayList<>();
    if (!type.equals(body.get("type"))) {
      errs.add("type: expected \"" + type + "\", got " + show(body.get("type")));
    }
    if (!body.containsKey("in_reply_to")) {
      errs.add("in_reply_to: missing-required-key");
    } else if (!isInteger(body.get("in_reply_to"))) {
      errs.add("in_reply_to: not an Int: " + show(body.get("in_reply_to")));
    }
    if (body.containsKey("msg_id") && !isInteger(body.get("msg_id"))) {
      errs.add("msg_id: not an Int: " + show(body.get("msg_id")));
    }
    for (Map.Entry<String, Type> e : required.entrySet()) {
      if (!body.containsKey(e.getKey())) {
        errs.add(e.getKey() + ": missing-required-key");
      } else if (!e.getValue().accepts(body.get(e.getKey()))) {
        errs.add(e.getKey() + ": not a " + e.getValue() + ": " + show(body.get(e.getKey())));
      }
    }
    for (Map.Entry<String, Type> e : optional.entrySet()) {
      if (body.containsKey(e.getKey()) && !e.getValue().accepts(body.get(e.getKey()))) {
        errs.add(e.getKey() + ": not a " + e.getValue() + ": " + show(body.get(e.getKey())));
      }
    }
    for (String k : body.keySet()) {
      if (k.equals("type") || k.equals("in_reply_to") || k.equals("msg_id")) continue;
      if (!required.containsKey(k) && !optional.containsKey(k)) errs.add(k + ": disallowed-key");
    }
    return errs.isEmpty() ? null : String.join("; ", errs);
  }

  static boolean isInteger(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof BigInteger
        || v instanceof Short || v instanceof Byte;
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "(eq \"" + type + "\")");
    m.put("in_reply_to", "Int");
    m.put("msg_id?", "Int");
    required.forEach((k, v) -> m.put(k, v.toString()));
    optional.forEach((k, v) -> m.put(k + "?", v.toString()));
    return m.toString();
  }
}
