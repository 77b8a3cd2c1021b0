package glomers.harness.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import glomers.harness.run.HarnessRunner;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --nemesis} takes a comma- or space-separated set; partition alone is Maelstrom's. */
class NemesisOptionTest {
  private static Set<String> parse(String... nemesis) {
    String[] args = new String[2 + 2 * nemesis.length];
    args[0] = "-w";
    args[1] = "echo";
    for (int i = 0; i < nemesis.length; i++) {
      args[2 + 2 * i] = "--nemesis";
      args[3 + 2 * i] = nemesis[i];
    }
    return HarnessRunner.parse(args).toSpec(null).nemesis();
  }

  @Test
  void commaAndSpaceSeparatedSets() {
    assertEquals(List.of("partition", "kill"), List.copyOf(parse("partition,kill")));
    assertEquals(List.of("kill", "pause", "duplicate"), List.copyOf(parse("kill pause", "duplicate")));
    assertEquals(Set.of("partition"), parse("partition"));
  }

  @Test
  void unknownKindIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("kill,explode"));
    assertEquals("unknown --nemesis explode; one of partition, kill, pause, duplicate", e.getMessage());
  }
}
