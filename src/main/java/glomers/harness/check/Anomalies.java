package glomers.harness.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building blocks of checker results: anomaly examples as insertion-ordered maps, grouped by type. */
public final class Anomalies {
  private Anomalies() {}

  /** An insertion-ordered map of alternating keys and values (key order is what results.json shows). */
  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Appends example {@code a} to the anomalies of {@code type}. */
  public static void add(Map<String, List<Object>> anomalies, String type, Object a) {
    anomalies.computeIfAbsent(type, k -> new ArrayList<>()).add(a);
  }
}
