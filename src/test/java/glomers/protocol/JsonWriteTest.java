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
