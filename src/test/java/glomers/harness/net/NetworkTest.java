package glomers.harness.net;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {
  static Network net(double latencyMs, String dist, StringWriter journal) {
    Network n = new Network(new Latency(latencyMs, dist, new SplittableRandom(1)), System.nanoTime(), journal);
    for (String id : List.of("n0", "n1", "n2", "c0", "seq-kv")) n.register(id);
    return n;
  }

  @Test
  void constantLatencyIsAccurateAndFifoPerLink() throws Exception {
    Network n = net(20, "constant", null);
    List<Long> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<long[]> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread receiver = new Thread(() -> {
      try {
        for (int i = 0; i < 30; i++) {
          Envelope e = n.poll("n1", 1_000_000_000L);
          got.add(new long[] {(Long) ((Map<?, ?>) e.body()).get("i"), System.nanoTime()});
        }
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    receiver.start();
    for (int i = 0; i < 30; i++) {
      sent.add(System.nanoTime());
      n.send("n0", "n1", Map.of("type", "m", "i", (long) i));
      Thread.sleep(1);
    }
    receiver.join(5000);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      assertEquals((long) i, got.get(i)[0], "FIFO with constant latency");
      long delay = got.get(i)[1] - sent.get(i);
      assertTrue(delay >= 20_000_000L, "not before its deadline: " + delay);
      delays.add(delay);
    }
    java.util.Collections.sort(delays);
    System.out.println("delays ms: " + delays.stream().map(d -> String.format("%.2f", d / 1e6)).toList());
    assertTrue(delays.get(15) < 30_000_000L, "median delivery within 10 ms (machine may be loaded): " + delays.get(15) / 1e6 + " ms");
  }

  @Test
  void clientTrafficHasNoLatency() throws Exception {
    Network n = net(500, "constant", null);
    long t = System.nanoTime();
    n.send("c0", "n0", Map.of("type", "echo"));
    assertNotNull(n.poll("n0", 1_000_000_000L));
    n.send("n0", "c0", Map.of("type", "echo_ok"));
    assertNotNull(n.poll("c0", 1_000_000_000L));
    assertTrue(System.nanoTime() - t < 100_000_000L);
  }

  @Test
  void partitionsDropAtDequeueAndCountOnlySends() throws Exception {
    StringWriter j = new StringWriter();
    Network n = net(0, "constant", j);
    n.send("n0", "n1", Map.of("type", "a")); // in flight when the partition starts
    n.drop(Map.of("n1", Set.of("n0")));
    n.send("n2", "n1", Map.of("type", "b"));
    n.send("n1", "n0", Map.of("type", "c")); // one-way rule: n0 still hears n1
    assertNull(n.poll("n1", 10_000_000L), "a is dropped at dequeue");
    assertEquals("b", n.poll("n1", 10_000_000L).type());
    assertEquals("c", n.poll("n0", 10_000_000L).type());
    n.heal();
    n.send("n0", "n1", Map.of("type", "d"));
    assertEquals("d", n.poll("n1", 10_000_000L).type(), "healed; nothing replayed");
    assertNull(n.poll("n1", 1_000_000L));
    Map<String, Object> r = n.stats().result(2);
    assertEquals(4L, ((Map<?, ?>) r.get("all")).get("send-count"));
    assertEquals(4L, ((Map<?, ?>) r.get("all")).get("msg-count"));
    assertEquals(3L, ((Map<?, ?>) r.get("all")).get("recv-count"));
    assertEquals(2.0, ((Map<?, ?>) r.get("servers")).get("msgs-per-op"));
    n.closeJournal();
    assertTrue(j.toString().contains("\"ev\":\"drop\""));
  }

  @Test
  void servicesAreNeverPartitionedAndCategoriesFollowTheLeadingC() throws Exception {
    Network n = net(0, "constant", null);
    n.drop(Map.of("n0", Set.of("n1", "n2")));
    n.send("seq-kv", "n0", Map.of("type", "read_ok"));
    assertNotNull(n.poll("n0", 10_000_000L));
    n.send("c0", "n0", Map.of("type", "x"));
    Map<String, Object> r = n.stats().result(1);
    assertEquals(1L, ((Map<?, ?>) r.get("clients")).get("msg-count"));
    assertEquals(1L, ((Map<?, ?>) r.get("servers")).get("msg-count"));
  }

  @Test
  void unknownDestinationsAreRejectedWithoutJournaling() {
    Network n = net(0, "constant", null);
    assertThrows(UnknownDestinationException.class, () -> n.send("n0", "c9", Map.of()));
    n.unregister("c0");
    assertThrows(UnknownDestinationException.class, () -> n.send("n0", "c0", Map.of()));
    assertEquals(0, n.stats().sends());
  }

  @Test
  void latencyDistributions() {
    Latency u = new Latency(100, "uniform", new SplittableRandom(3));
    Latency e = new Latency(100, "exponential", new SplittableRandom(3));
    Latency c = new Latency(100, "constant", new SplittableRandom(3));
    double su = 0, se = 0;
    long maxU = 0, minU = Long.MAX_VALUE;
    int n = 20000;
    for (int i = 0; i < n; i++) {
      long x = u.nextNanos();
      su += x;
      maxU = Math.max(maxU, x);
      minU = Math.min(minU, x);
      long y = e.nextNanos();
      assertEquals(0, y % 1_000_000L, "exponential is truncated to whole ms");
      se += y;
      assertEquals(100_000_000L, c.nextNanos());
    }
    assertEquals(100, su / n / 1e6, 3);
    assertTrue(minU >= 0 && maxU <= 200_000_000L);
    assertEquals(99.5, se / n / 1e6, 4); // truncation lowers the mean by ~0.5 ms
    assertEquals(0, new Latency(0, "exponential", new SplittableRandom(1)).nextNanos());
  }
}
