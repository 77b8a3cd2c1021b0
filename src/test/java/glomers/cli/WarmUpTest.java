package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void peerMessagesComeBackFromThePeerAndNothingElseDoes() {
    assertEquals(
        "{\"src\":\"n3\",\"dest\":\"n0\",\"body\":{\"type\":\"gossip\",\"msg_id\":7}}",
        WarmUp.mirrored("{\"src\":\"n0\",\"dest\":\"n3\",\"body\":{\"type\":\"gossip\",\"msg_id\":7}}"));
    assertNull(WarmUp.mirrored("{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"read_ok\"}}"));
    assertNull(WarmUp.mirrored("{\"src\":\"n0\",\"dest\":\"lin-kv\",\"body\":{\"type\":\"read\"}}"));
    assertNull(WarmUp.mirrored("not json"));
  }

  @Test
  void everyWorkloadHasRequestsAndWarmsUpWithinItsBound() throws Exception {
    for (String name : NodeWorkloads.names()) {
      assertTrue(!WarmUp.requests(name).isEmpty(), name + " has no warm-up requests");
      // init + one request per round at least (a generous bound: the machine may be loaded)
      int handled = WarmUp.run(name, Map.of(), 20, 20_000);
      assertTrue(handled > 20, name + " handled only " + handled);
      // the time bound holds however many rounds are asked for
      long t0 = System.nanoTime();
      WarmUp.run(name, Map.of(), 1_000_000, 50);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 50 + 2_000, name + " took " + ms + " ms");
    }
  }

  @Test
  void broadcastPeerTrafficIsExercised() throws Exception {
    // 30 rounds of broadcast + read; the one-hop fan-out to n1..n4 comes back as peer messages
    int handled = WarmUp.run("broadcast", Map.of("profile", "latency"), 30, 20_000);
    assertTrue(handled > 1 + 30 * 2 + 30, "peer messages were not mirrored: " + handled);
  }

  @Test
  void offMeansNothingRuns() throws Exception {
    assertEquals(0, WarmUp.run("echo", Map.of(), 0));
  }
}
