package glomers.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void integersAreLongsAndDistinctFromDecimals() throws Exception {
    Map<String, Object> m = Json.parseMap("{\"a\":1,\"b\":1.0,\"c\":[2,{\"d\":3}]}");
    assertEquals(1L, m.get("a"));
    assertEquals(1.0, m.get("b"));
    assertNotEquals(m.get("a"), m.get("b"));
    assertEquals(List.of(2L, Map.of("d", 3L)), m.get("c"));
  }

  @Test
  void integersBeyond64BitsBecomeBigIntegersAndTheRestStaysLong() throws Exception {
    Map<String, Object> m = Json.parseMap("{\"big\":123456789012345678901234567890,\"small\":[7]}");
    assertEquals(new BigInteger("123456789012345678901234567890"), m.get("big"));
    assertEquals(List.of(7L), m.get("small"));
    assertEquals(
        new BigInteger("-123456789012345678901234567890"),
        Json.toPlain(Json.parseTree("{\"x\":-123456789012345678901234567890}").get("x")));
  }

  @Test
  void nonObjectsAndGarbageAreRejected() {
    assertThrows(Exception.class, () -> Json.parseMap("[1]"));
    assertThrows(Exception.class, () -> Json.parseMap("{\"a\":1} trailing"));
    assertThrows(Exception.class, () -> Json.parsePlain("{"));
  }
}
