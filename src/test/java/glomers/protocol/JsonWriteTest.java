package glomers.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link Json#write}'s streaming path gives the mapper's bytes for every value, plain or not. */
class JsonWriteTest {
  private static final String CHARS = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u2028\u20ac\ud83d\ude00\ud800";

  @Test
  void randomValuesAreWrittenByteForByteAsTheMapperWritesThem() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 3000; i++) {
      Object v = value(r, 0);
      assertEquals(Json.MAPPER.writeValueAsString(v), Json.write(v), () -> "value " + v);
    }
  }

  @Test
  void oneGeneratorStreamsValuesBackToBackAsLines() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    StringWriter out = new StringWriter();
    StringBuilder expected = new StringBuilder();
    try (JsonGenerator g = Json.generator(out)) {
      for (int i = 0; i < 200; i++) {
        Object v = value(r, 0);
        Json.write(g, v);
        g.writeRaw('\n');
        expected.append(Json.MAPPER.writeValueAsString(v)).append('\n');
      }
    }
    assertEquals(expected.toString(), out.toString());
  }

  @Test
  void valuesTheMapperRefusesStayRefused() {
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
  }

  @Test
  void stringsAreAppendedAsWritten() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 3000; i++) {
      String s = i % 2 == 0 ? string(r) : "n" + r.nextInt(100);
      assertEquals(Json.write(s), Json.appendString(new StringBuilder(), s).toString(), s);
    }
  }

  @Test
  void thousandthsAreAppendedAsTheirDoubleIsWritten() {
    SplittableRandom r = new SplittableRandom(3);
    long[] edges = {0, 1, -1, 9, 10, 99, 100, 999, 1000, 1001, 1010, 1100, 123_456, -123_450, 9_999_999_999L,
        10_000_000_000L, -10_000_000_000L, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000};
    for (long n : edges) assertEquals(Json.write(n / 1000.0), Json.appendThousandths(new StringBuilder(), n).toString());
    for (int i = 0; i < 200_000; i++) {
      long n = i % 2 == 0 ? r.nextLong(-2_000_000_000L, 2_000_000_000L) : r.nextLong(-20_000_000_000L, 20_000_000_000L);
      assertEquals(Json.write(n / 1000.0), Json.appendThousandths(new StringBuilder(), n).toString(), () -> "n=" + n);
    }
  }

  @Test
  void linesParseToTheMapperValuesOrFailAsTheMapperFails() throws Exception {
    SplittableRandom r = new SplittableRandom(13);
    String[] odd = {"", " ", "{", "[1,]", "{\"a\":1}x", "{\"a\":1,\"a\":null}", "{\"a\":[1],\"b\":2,\"a\":3}", "1e400",
        "-0", "-0.0", "123456789012345678901234567890", "[9223372036854775807,-9223372036854775808]",
        "9223372036854775808", "1.5e-400", "0.1", "\"\\ud800\"", "nul", "{\"a\" 1}", "[1 2]", "{}", "[]", "tru"};
    for (String line : odd) assertParsesAsTheMapper(line);
    for (int i = 0; i < 3000; i++) {
      String line = Json.MAPPER.writeValueAsString(value(r, 0));
      assertParsesAsTheMapper(line);
      if (!line.isEmpty()) assertParsesAsTheMapper(line.substring(0, r.nextInt(line.length())));
    }
  }

  private static void assertParsesAsTheMapper(String line) {
    Object expected, actual;
    try {
      expected = mapperParse(line);
    } catch (Exception e) {
      Exception thrown = assertThrows(Exception.class, () -> Json.parsePlain(line), line);
      assertEquals(e.getMessage(), thrown.getMessage(), line);
      return;
    }
    try {
      actual = Json.parsePlain(line);
    } catch (Exception e) {
      throw new AssertionError(line + ": " + e, e);
    }
    assertEquals(expected, actual, line);
    assertEquals(Json.write(expected), Json.write(actual), line);
  }

  /** What parsePlain did before it streamed: the mapper, and the big-integer mapper after a refusal. */
  private static Object mapperParse(String line) throws Exception {
    try {
      return Json.MAPPER.readValue(line, Object.class);
    } catch (com.fasterxml.jackson.core.exc.InputCoercionException e) {
      Object v = new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readValue(line, Object.class);
      return narrow(v);
    }
  }

  private static Object narrow(Object v) {
    if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(narrow(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, narrow(x)));
      return out;
    }
    return v;
  }

  private static Object value(SplittableRandom r, int depth) {
    int k = r.nextInt(depth > 3 ? 9 : 14);
    return switch (k) {
      case 0 -> null;
      case 1 -> string(r);
      case 2 -> r.nextLong();
      case 3 -> r.nextInt(-1000, 1000);
      case 4 -> doubleValue(r);
      case 5 -> r.nextBoolean();
      case 6 -> (long) r.nextInt(100);
      case 7 -> new BigInteger(80, new java.util.Random(r.nextLong()));
      case 8 -> new BigDecimal(r.nextInt(1000)).movePointLeft(r.nextInt(5));
      case 9, 10 -> {
        Map<Object, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(5);
        for (int j = 0; j < n; j++) m.put(r.nextInt(8) == 0 ? (Object) (long) r.nextInt(50) : string(r), value(r, depth + 1));
        yield m;
      }
      case 11 -> {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(5);
        for (int j = 0; j < n; j++) l.add(value(r, depth + 1));
        yield l;
      }
      case 12 -> new TreeSet<>(Arrays.asList(string(r), string(r)));
      default -> new long[] {r.nextLong(), 3};
    };
  }

  private static double doubleValue(SplittableRandom r) {
    double[] special = {0.0, -0.0, 1.0, 1e300, 1e-300, Double.NaN, Double.POSITIVE_INFINITY, 0.1 + 0.2, 1234567.0};
    return r.nextBoolean() ? special[r.nextInt(special.length)] : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 20));
  }

  private static String string(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) sb.append(CHARS.charAt(r.nextInt(CHARS.length())));
    return sb.toString();
  }
}
