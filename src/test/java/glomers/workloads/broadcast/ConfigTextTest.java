package glomers.workloads.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class ConfigTextTest {
  /** The text a record's generated toString writes: Name[a=1, b=2]. */
  private static String recordText(Record r) throws Exception {
    StringJoiner j = new StringJoiner(", ", r.getClass().getSimpleName() + "[", "]");
    for (RecordComponent c : r.getClass().getRecordComponents()) j.add(c.getName() + "=" + c.getAccessor().invoke(r));
    return j.toString();
  }

  @Test
  void theWrittenOutTextIsTheRecordsOwnForEveryComponent() throws Exception {
    for (String profile : new String[] {"balanced", "efficient", "latency", "hybrid"}) {
      Config c = Config.parse(Map.of("profile", profile));
      assertEquals(recordText(c), c.toString(), profile);
    }
    Config hub = Config.parse(Map.of("hub", "n3"));
    assertEquals(recordText(hub), hub.toString());
  }
}
