package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.node.Node;
import glomers.node.WorkloadHandler;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void templatesAreFilledAsStringFormatWould() {
    for (String name : NodeWorkloads.names()) {
      for (String t : WarmUp.requests(name)) assertEquals(String.format(t, 17, 4), WarmUp.fill(t, 17, 4), t);
    }
  }

  @Test
  void offMeansNothingRuns() throws Exception {
    assertEquals(0, WarmUp.run("echo", Map.of(), 0));
  }

  private static boolean warmUpThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(WarmUp.THREAD) && t.isAlive());
  }

  @Test
  void afterInitTheWarmUpStartsOnlyOnceTheNodeIsInitialisedAndWritesNothingToStdout() throws Exception {
    PipedOutputStream stdin = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(stdin, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Main.runNode("broadcast", Map.of(), 2_000, in, out, log);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);
    assertFalse(warmUpThreadAlive(), "the warm-up started before init");
    String init = "{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\",\"n1\"]}}\n";
    stdin.write(init.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!warmUpThreadAlive() && System.nanoTime() < until) Thread.sleep(1);
    assertTrue(warmUpThreadAlive(), "no warm-up after init");
    stdin.close();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(1, lines.length, "stdout: " + out);
    assertTrue(lines[0].contains("\"init_ok\""), lines[0]);
  }

  @Test
  void noRoundsMeansTheHandlerIsReturnedAsItIs() {
    WorkloadHandler h = (Node n) -> {};
    assertSame(h, WarmUp.afterInit(h, "echo", Map.of(), 0));
  }

  @Test
  void waitingForASpareCoreEndsWithItsPatience() {
    assertTrue(WarmUp.runnableThreads() >= 1, "this thread is runnable, /proc/loadavg says otherwise");
    long t0 = System.nanoTime();
    assertTrue(WarmUp.awaitSpareCore(t0 + TimeUnit.MILLISECONDS.toNanos(200)));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void aRefusingGateEndsTheWarmUpBeforeItStarts() throws Exception {
    assertEquals(0, WarmUp.run("broadcast", Map.of(), 100, 20_000, round -> false));
    // a gate that stops after round 3: the throwaway node saw init plus three rounds and their peer echoes
    int three = WarmUp.run("echo", Map.of(), 100, 20_000, round -> round < 3);
    assertEquals(1 + 3, three);
  }
}
