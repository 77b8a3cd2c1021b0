package glomers.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** JsonLine must be indistinguishable from Json.MAPPER on protocol lines: same trees, same node classes, same text. */
class JsonLineTest {
  static void assertSameTree(JsonNode expected, JsonNode actual, String where) {
    assertEquals(expected.getClass(), actual.getClass(), where);
    assertEquals(expected, actual, where);
    if (expected.isContainerNode()) {
      assertEquals(expected.size(), actual.size(), where);
      if (expected.isObject()) {
        Iterator<String> a = expected.fieldNames(), b = actual.fieldNames();
        while (a.hasNext()) {
          String k = a.next();
          assertEquals(k, b.next(), where + " key order");
          assertSameTree(expected.get(k), actual.get(k), where + "." + k);
        }
      } else {
        for (int i = 0; i < expected.size(); i++) assertSameTree(expected.get(i), actual.get(i), where + "[" + i + "]");
      }
    }
  }

  static void same(String line) throws Exception {
    JsonNode m = Json.MAPPER.readTree(line);
    JsonNode l = JsonLine.parseTree(line);
    assertSameTree(m, l, line);
    assertEquals(Json.MAPPER.writeValueAsString(m), JsonLine.write(l), line);
  }

  @Test
  void fixedCases() throws Exception {
    for (String s :
        List.of(
            "{\"id\":17,\"src\":\"c3\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":\"Please echo 84\"}}",
            "{\"a\":1,\"b\":1.0,\"c\":-0.0,\"d\":1e300,\"f\":-9223372036854775808}",
            "{\"a\":[[],{},[null,true,false]],\"u\":\"\\u00e9\\n\\\"\\\\\\/\\t\",\"x\":\"é😀\"}",
            "{\"dup\":1,\"dup\":2}",
            "[1,2,3]",
            "42",
            "  {\"spaces\" : [ 1 , 2 ] }  ",
            "\"str\"",
            "null",
            "{\"big\":9223372036854775807,\"small\":2147483648,\"neg\":-2147483649}",
            "{\"f\":0.1,\"g\":1.5E-7,\"h\":12345678.9,\"i\":1E2}")) {
      same(s);
    }
  }

  @Test
  void integersBeyond64BitsBecomeBigIntegers() throws Exception {
    // Maelstrom parses such numbers as BigInteger (docs/maelstrom.md#wire-format-and-envelope-validation);
    // Json.MAPPER with USE_LONG_FOR_INTS rejects them instead, so here JsonLine is deliberately more lenient.
    JsonNode n = JsonLine.parseTree("{\"e\":123456789012345678901234567890,\"f\":-9223372036854775809}");
    assertEquals(new java.math.BigInteger("123456789012345678901234567890"), n.get("e").bigIntegerValue());
    assertEquals(true, n.get("e").isBigInteger());
    assertEquals(true, n.get("f").isBigInteger());
    assertEquals("{\"e\":123456789012345678901234567890,\"f\":-9223372036854775809}", JsonLine.write(n));
  }

  @Test
  void malformedInputIsRejectedLikeTheMapper() throws Exception {
    for (String s : List.of("{", "{\"a\":}", "nope", "{\"a\":1} x", "{\"a\":1}}", "[1,]", "{'a':1}", "{\"a\":NaN}", "01")) {
      assertThrows(Exception.class, () -> Json.MAPPER.readTree(s), "mapper accepts " + s);
      assertThrows(JsonProcessingException.class, () -> JsonLine.parseTree(s), s);
    }
    assertEquals(true, JsonLine.parseTree("").isMissingNode());
  }

  static Object randomValue(SplittableRandom r, int depth) {
    switch (r.nextInt(depth > 3 ? 6 : 8)) {
      case 0: return null;
      case 1: return r.nextBoolean();
      case 2: return r.nextLong(-1000, 1000);
      case 3: return r.nextLong();
      case 4: return r.nextInt(3) == 0 ? r.nextDouble() * 1e6 : (double) r.nextInt(100);
      case 5: {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) b.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x20, 0x3000) : r.nextInt(0x20, 0x7f)));
        return b.toString();
      }
      case 6: {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) l.add(randomValue(r, depth + 1));
        return l;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) m.put("k" + r.nextInt(10), randomValue(r, depth + 1));
        return m;
      }
    }
  }

  @Test
  void randomTreesRoundTripIdentically() throws Exception {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 3000; i++) {
      Object v = randomValue(r, 0);
      String line = Json.MAPPER.writeValueAsString(v);
      same(line);
      // toTree agrees with valueToTree
      assertSameTree(Json.MAPPER.valueToTree(v), JsonLine.toTree(v), line);
    }
  }

  @Test
  void messagesWriteTheClosedEnvelope() {
    var body = JsonLine.object().put("type", "x").put("n", 1L);
    assertEquals("{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"x\",\"n\":1}}", new Message("n0", "c1", body).toLine());
  }
}
