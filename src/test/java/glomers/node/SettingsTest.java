package glomers.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static final Settings S =
      Settings.of(
          Settings.oneOf("mode", "a", "b"), Settings.millis("wait-ms"), Settings.period("tick-ms"),
          Settings.count("batch"), Settings.bool("sync"), Settings.word("hub"));

  private static String rejected(Map<String, String> given) {
    return assertThrows(IllegalArgumentException.class, () -> S.check(given)).getMessage();
  }

  @Test
  void acceptsEveryDeclaredFormAndNoSettingAtAll() {
    S.check(Map.of());
    S.check(Map.of("mode", "b", "wait-ms", "0", "tick-ms", "1", "batch", "2147483647", "sync", "true", "hub", "n3"));
  }

  @Test
  void anUnknownKeyIsNamedWithEveryValidSetting() {
    assertEquals(
        "unknown setting 'fanout'; valid settings: mode=a|b wait-ms=<ms> tick-ms=<ms≥1> batch=<n≥1> sync=true|false hub=<name>",
        rejected(Map.of("fanout", "4")));
  }

  @Test
  void valuesOfTheWrongFormAreRejected() {
    for (Map<String, String> bad :
        new Map[] {
          Map.of("mode", "c"), Map.of("wait-ms", "-1"), Map.of("wait-ms", "1.5"), Map.of("wait-ms", " 5"),
          Map.of("tick-ms", "0"), Map.of("batch", "2147483648"), Map.of("sync", "yes"), Map.of("hub", ""),
        }) {
      String m = rejected(bad);
      String key = bad.keySet().iterator().next();
      assertTrue(m.startsWith("bad value '" + bad.get(key) + "' for setting " + key + " (expected "), m);
      assertTrue(m.contains("; valid settings: mode=a|b"), m);
    }
  }

  @Test
  void noneAcceptsNothingAndSaysSo() {
    Settings.NONE.check(Map.of());
    assertEquals(
        "unknown setting 'x'; valid settings: none",
        assertThrows(IllegalArgumentException.class, () -> Settings.NONE.check(Map.of("x", "1"))).getMessage());
  }

  @Test
  void aKeyIsDeclaredOnce() {
    assertThrows(IllegalArgumentException.class, () -> Settings.of(Settings.bool("x"), Settings.millis("x")));
  }
}
