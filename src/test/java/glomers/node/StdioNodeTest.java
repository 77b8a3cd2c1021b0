package glomers.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.protocol.Json;
import glomers.workloads.echo.EchoHandler;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StdioNodeTest {
  @Test
  @Timeout(20)
  void eachReplyIsFlushedBeforeTheNextRequestArrives() throws Exception {
    PipedOutputStream toNode = new PipedOutputStream();
    PipedInputStream nodeIn = new PipedInputStream(toNode, 1 << 16);
    PipedOutputStream nodeOut = new PipedOutputStream();
    BufferedReader fromNode =
        new BufferedReader(new InputStreamReader(new PipedInputStream(nodeOut, 1 << 16), StandardCharsets.UTF_8));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] rc = {-1};
    Thread t =
        new Thread(
            () -> {
              try {
                rc[0] = StdioNode.run(new EchoHandler(), Map.of(), nodeIn, nodeOut, new PrintStream(err, true, StandardCharsets.UTF_8));
                nodeOut.close();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    PrintStream w = new PrintStream(toNode, true, StandardCharsets.UTF_8);
    w.println(ScriptedRuntime.init("n0", "n0"));
    // Interactive: the node must answer while stdin stays open (a missing flush hangs here).
    assertEquals("init_ok", Json.parseTree(fromNode.readLine()).get("body").get("type").textValue());
    for (int i = 0; i < 100; i++) {
      w.println("garbage " + i);
      w.println(ScriptedRuntime.msg("c1", "n0", "{\"type\":\"echo\",\"msg_id\":" + i + ",\"echo\":\"é " + i + "\"}"));
      var body = Json.parseTree(fromNode.readLine()).get("body");
      assertEquals("é " + i, body.get("echo").textValue());
      assertEquals(i, body.get("in_reply_to").longValue());
    }
    w.close();
    t.join(10_000);
    assertEquals(0, rc[0]);
    assertEquals(null, fromNode.readLine(), "nothing but replies on stdout");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("garbage 99"));
  }

  @Test
  @Timeout(20)
  void aHandlerThatCannotInstallFailsTheProcess() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        StdioNode.run(
            node -> {
              throw new IllegalArgumentException("unknown profile fast");
            },
            Map.of(),
            new java.io.ByteArrayInputStream((ScriptedRuntime.init("n0", "n0") + "\n").getBytes(StandardCharsets.UTF_8)),
            out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, rc);
    assertEquals(0, out.size(), "nothing on stdout");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown profile fast"));
  }

  @Test
  @Timeout(20)
  void realLoopRunsTimersAndTasksFromOtherThreadsInOrder() throws Exception {
    RealEventLoop loop = new RealEventLoop().start();
    List<String> events = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(
        () -> {
          long t0 = loop.nowMillis();
          loop.schedule(60, () -> events.add("60"));
          loop.schedule(20, () -> events.add("20"));
          Cancellable c = loop.schedule(40, () -> events.add("cancelled"));
          c.cancel();
          loop.schedule(
              100,
              () -> {
                events.add("100:" + (loop.nowMillis() - t0 >= 100));
                done.countDown();
              });
        });
    Thread other = new Thread(() -> loop.execute(() -> events.add("task")));
    other.start();
    other.join();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertTrue(events.remove("task"), "task from another thread ran: " + events);
    assertEquals(List.of("20", "60", "100:true"), events);
    try {
      loop.schedule(1, () -> {});
      throw new AssertionError("schedule off the loop thread must be refused");
    } catch (IllegalStateException expected) {
    }
  }

  @Test
  @Timeout(30)
  void echoThroughputOverStreams() throws Exception {
    // A smoke-level throughput floor (the real benchmark is maelstrom-tests/bench-echo.sh): 50k echoes
    // through parse, dispatch, serialise and the writer thread.
    int n = 50_000;
    StringBuilder in = new StringBuilder(ScriptedRuntime.init("n0", "n0")).append('\n');
    for (int i = 0; i < n; i++) in.append(ScriptedRuntime.msg("c1", "n0", "{\"type\":\"echo\",\"msg_id\":" + i + ",\"echo\":\"Please echo " + i + "\"}")).append('\n');
    byte[] bytes = in.toString().getBytes(StandardCharsets.UTF_8);
    long[] lines = {0};
    OutputStream counter =
        new OutputStream() {
          @Override
          public void write(int b) {
            if (b == '\n') lines[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) if (b[i] == '\n') lines[0]++;
          }
        };
    long t0 = System.nanoTime();
    StdioNode.run(new EchoHandler(), Map.of(), new java.io.ByteArrayInputStream(bytes), counter, new PrintStream(OutputStream.nullOutputStream()));
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(n + 1, lines[0]);
    assertTrue(n / secs > 5_000, "echo throughput " + (n / secs) + " msgs/s");
  }

  /** Lines reach the pipe at the latest after MAX_UNFLUSHED writes, even while the loop never runs dry. */
  @Test
  void aLoopThatNeverRunsDryStillFlushesEveryFewLines() {
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    StdioNode.Stdout out = new StdioNode.Stdout(pipe, new PrintStream(new ByteArrayOutputStream()));
    for (int i = 1; i < StdioNode.Stdout.MAX_UNFLUSHED; i++) out.write("line " + i);
    assertEquals(0, pipe.size(), "buffered until the bound or the loop's idle flush");
    out.write("line " + StdioNode.Stdout.MAX_UNFLUSHED);
    assertEquals(StdioNode.Stdout.MAX_UNFLUSHED, pipe.toString(StandardCharsets.UTF_8).lines().count());
    out.write("more");
    out.flush();
    assertTrue(pipe.toString(StandardCharsets.UTF_8).endsWith("more\n"));
  }
}
