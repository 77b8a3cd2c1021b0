package glomers.node;

import static glomers.node.ScriptedRuntime.init;
import static glomers.node.ScriptedRuntime.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.protocol.Json;
import glomers.protocol.Message;
import glomers.workloads.echo.EchoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeRuntimeTest {
  static final String ECHO = msg("c1", "n0", "{\"type\":\"echo\",\"msg_id\":5,\"echo\":\"hi\"}");

  /** Asserts the node still serves a normal request correctly after whatever happened before. */
  static void assertEchoWorks(ScriptedRuntime n) {
    List<JsonNode> r = n.send(ECHO);
    assertEquals(1, r.size(), r.toString());
    JsonNode b = r.get(0).get("body");
    assertEquals("echo_ok", b.get("type").textValue());
    assertEquals("hi", b.get("echo").textValue());
    assertEquals(5, b.get("in_reply_to").longValue());
    assertEquals("n0", r.get(0).get("src").textValue());
    assertEquals("c1", r.get(0).get("dest").textValue());
  }

  static Set<String> keys(JsonNode o) {
    Set<String> s = new java.util.HashSet<>();
    o.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void initRepliesInitOkAndSetsIdsBeforeCallbacks() {
    List<String> seen = new ArrayList<>();
    ScriptedRuntime n =
        new ScriptedRuntime(
            node -> node.onInit(() -> seen.add(node.id() + node.nodeIds() + node.otherNodeIds())));
    List<JsonNode> r = n.send(init("n1", "n0", "n1", "n2"));
    assertEquals(List.of("n1[n0, n1, n2][n0, n2]"), seen);
    assertEquals(1, r.size());
    JsonNode env = r.get(0);
    assertEquals(Set.of("src", "dest", "body"), keys(env), "closed envelope schema");
    assertEquals("n1", env.get("src").textValue());
    assertEquals("c0", env.get("dest").textValue());
    JsonNode body = env.get("body");
    assertEquals("init_ok", body.get("type").textValue());
    assertEquals(1, body.get("in_reply_to").longValue());
    assertTrue(body.get("in_reply_to").isIntegralNumber());
    // Maelstrom's init_ok schema allows exactly type, in_reply_to and an optional integer msg_id.
    assertTrue(Set.of("type", "in_reply_to", "msg_id").containsAll(keys(body)), body.toString());
  }

  @Test
  void echoRepliesWithExactlyTheSchemaFields() {
    ScriptedRuntime n = new ScriptedRuntime(new EchoHandler());
    n.send(init("n0", "n0"));
    List<JsonNode> r = n.send(msg("c1", "n0", "{\"type\":\"echo\",\"msg_id\":9,\"echo\":{\"a\":[1,1.0,null,\"x\"]}}"));
    JsonNode b = r.get(0).get("body");
    assertEquals(Set.of("type", "echo", "in_reply_to", "msg_id"), keys(b));
    assertEquals("{\"a\":[1,1.0,null,\"x\"]}", Json.write(b.get("echo")), "payload echoed verbatim, 1 and 1.0 kept apart");
    assertEchoWorks(n);
  }

  private static JsonNode onlyError(List<JsonNode> r) {
    assertEquals(1, r.size(), r.toString());
    JsonNode b = r.get(0).get("body");
    assertEquals("error", b.get("type").textValue(), b.toString());
    assertTrue(Set.of("type", "in_reply_to", "code", "text").containsAll(keys(b)), b.toString());
    return b;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json at all",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\"",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":1}} trailing",
        "[1,2,3]",
        "42",
        "null",
        "\"string\"",
        "{}",
        "{\"src\":\"c1\",\"dest\":\"n0\"}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":[1]}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":\"echo\"}",
        "{\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":1}}",
        "{\"src\":7,\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":1}}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"msg_id\":1.5,\"type\":\"echo\"}}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"echo\":1}}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"nope\"}}",
        "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"error\",\"msg_id\":3,\"code\":13}}",
        "{\"src\":\"n5\",\"dest\":\"n0\",\"body\":{\"type\":\"read_ok\",\"in_reply_to\":99}}",
        "",
        "   ",
        "\u0000\u0001"
      })
  void inputThatCannotBeAnsweredIsLoggedAndDropped(String line) {
    ScriptedRuntime n = new ScriptedRuntime(new EchoHandler());
    n.send(init("n0", "n0"));
    List<JsonNode> r = n.send(line);
    assertEquals(List.of(), r, "no output for " + line);
    if (!line.isBlank()) assertFalse(n.log().isEmpty(), "logged: " + line);
    assertEchoWorks(n);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "12|{\"msg_id\":4}",
        "12|{\"msg_id\":4,\"type\":7}",
        "12|{\"msg_id\":4,\"type\":null}",
        "10|{\"msg_id\":4,\"type\":\"frobnicate\"}",
        "12|{\"msg_id\":4,\"type\":\"echo\"}",
        "12|{\"msg_id\":4,\"type\":\"init\",\"node_id\":5,\"node_ids\":[\"n0\"]}",
        "12|{\"msg_id\":4,\"type\":\"init\",\"node_id\":\"n0\",\"node_ids\":\"n0\"}",
        "12|{\"msg_id\":4,\"type\":\"init\",\"node_id\":\"n0\",\"node_ids\":[1]}",
        "12|{\"msg_id\":4,\"type\":\"init\"}"
      })
  void badRequestsWithMsgIdGetDefiniteErrors(String spec) {
    int bar = spec.indexOf('|');
    long code = Long.parseLong(spec.substring(0, bar));
    ScriptedRuntime n = new ScriptedRuntime(new EchoHandler());
    n.send(init("n0", "n0"));
    JsonNode b = onlyError(n.send(msg("c1", "n0", spec.substring(bar + 1))));
    assertEquals(code, b.get("code").longValue(), b.toString());
    assertEquals(4, b.get("in_reply_to").longValue());
    assertTrue(b.get("text").isTextual());
    assertEchoWorks(n);
  }

  @Test
  void beforeInitKnownTypesAreTemporarilyUnavailableFromTheAddressedId() {
    ScriptedRuntime n = new ScriptedRuntime(new EchoHandler());
    List<JsonNode> r = n.send(ECHO);
    JsonNode b = onlyError(r);
    assertEquals(11, b.get("code").longValue());
    assertEquals("n0", r.get(0).get("src").textValue(), "answers as the id it was addressed as");
    n.send(init("n0", "n0"));
    assertEchoWorks(n);
  }

  @Test
  void handlerExceptionsAnswerCrashAndTheNodeKeepsServing() {
    int[] calls = {0};
    ScriptedRuntime n =
        new ScriptedRuntime(
            node -> {
              new EchoHandler().install(node);
              node.on("boom", m -> { calls[0]++; throw new IllegalStateException("kaput"); });
              node.on("deep", m -> recurse(1));
              node.on("refuse", m -> { throw new RpcException(1234, "custom"); });
            });
    n.send(init("n0", "n0"));
    for (int i = 0; i < 3; i++) {
      JsonNode b = onlyError(n.send(msg("c1", "n0", "{\"type\":\"boom\",\"msg_id\":" + i + "}")));
      assertEquals(13, b.get("code").longValue());
      assertEquals(i, b.get("in_reply_to").longValue());
      assertEchoWorks(n);
    }
    assertEquals(3, calls[0]);
    assertEquals(13, onlyError(n.send(msg("c1", "n0", "{\"type\":\"deep\",\"msg_id\":1}"))).get("code").longValue());
    assertEchoWorks(n);
    JsonNode custom = onlyError(n.send(msg("c1", "n0", "{\"type\":\"refuse\",\"msg_id\":1}")));
    assertEquals(1234, custom.get("code").longValue());
    assertEquals("custom", custom.get("text").textValue());
    assertTrue(n.log().contains("kaput"));
  }

  private static int recurse(int i) {
    return recurse(i + 1) + 1;
  }

  @Test
  void repliesKeepAHandlerChosenMsgIdAndOtherwiseGetFreshOnes() {
    ScriptedRuntime n = new ScriptedRuntime(new EchoHandler());
    n.send(init("n0", "n0"));
    long a = n.send(ECHO).get(0).get("body").get("msg_id").longValue();
    long b = n.send(ECHO).get(0).get("body").get("msg_id").longValue();
    assertTrue(b > a);
  }

  @Test
  void secondInitKeepsStateAndAnswersAgain() {
    int[] inits = {0};
    ScriptedRuntime n = new ScriptedRuntime(node -> { new EchoHandler().install(node); node.onInit(() -> inits[0]++); });
    n.send(init("n0", "n0"));
    List<JsonNode> r = n.send(init("n0", "n0"));
    assertEquals("init_ok", r.get(0).get("body").get("type").textValue());
    assertEquals(1, inits[0]);
    assertEchoWorks(n);
  }

  // ------------------------------------------------------------------ RPC

  static final class Capture implements WorkloadHandler {
    Node node;

    @Override
    public void install(Node node) {
      this.node = node;
      new EchoHandler().install(node);
    }
  }

  @Test
  void rpcCompletesWithTheMatchingReplyOnTheLoopThread() {
    Capture c = new Capture();
    ScriptedRuntime n = new ScriptedRuntime(c);
    n.send(init("n0", "n0", "n1"));
    CompletableFuture<Message> f = c.node.rpc("n1", c.node.body("ping"), 1000);
    n.loop.runFor(0);
    JsonNode sent = n.parsed(n.out.size() - 1).get(0);
    long id = sent.get("body").get("msg_id").longValue();
    assertEquals("n1", sent.get("dest").textValue());
    // same in_reply_to from someone else is not the reply
    n.send(msg("n2", "n0", "{\"type\":\"ping_ok\",\"in_reply_to\":" + id + "}"));
    assertFalse(f.isDone());
    n.send(msg("n1", "n0", "{\"type\":\"ping_ok\",\"in_reply_to\":" + id + ",\"x\":1}"));
    assertTrue(f.isDone());
    assertEquals(1, f.join().body().get("x").longValue());
    // a duplicate reply is just logged
    assertEquals(List.of(), n.send(msg("n1", "n0", "{\"type\":\"ping_ok\",\"in_reply_to\":" + id + "}")));
    assertEchoWorks(n);
  }

  @Test
  void rpcTimesOutWithCodeZeroAndDropsTheLateReply() {
    Capture c = new Capture();
    ScriptedRuntime n = new ScriptedRuntime(c);
    n.send(init("n0", "n0", "n1"));
    CompletableFuture<Message> f = c.node.rpc("n1", c.node.body("ping"), 500);
    n.loop.runFor(0);
    long id = n.parsed(n.out.size() - 1).get(0).get("body").get("msg_id").longValue();
    n.loop.runFor(499);
    assertFalse(f.isDone());
    n.loop.runFor(1);
    assertTrue(f.isCompletedExceptionally());
    RpcException e = KvClient.unwrap(f.handle((m, t) -> t).join());
    assertEquals(0, e.code());
    assertTrue(e.isTimeout());
    assertFalse(e.isDefinite());
    int before = n.out.size();
    n.send(msg("n1", "n0", "{\"type\":\"ping_ok\",\"in_reply_to\":" + id + "}"));
    assertEquals(before, n.out.size());
    assertTrue(n.log().contains("late or unexpected reply"), n.log());
    assertEchoWorks(n);
  }

  @Test
  void rpcErrorReplyFailsTheFutureWithItsCode() {
    Capture c = new Capture();
    ScriptedRuntime n = new ScriptedRuntime(c);
    n.send(init("n0", "n0", "n1"));
    CompletableFuture<Message> f = c.node.rpc("n1", c.node.body("ping"), 500);
    n.loop.runFor(0);
    long id = n.parsed(n.out.size() - 1).get(0).get("body").get("msg_id").longValue();
    n.send(msg("n1", "n0", "{\"type\":\"error\",\"in_reply_to\":" + id + ",\"code\":30,\"text\":\"conflict\"}"));
    RpcException e = KvClient.unwrap(f.handle((m, t) -> t).join());
    assertEquals(30, e.code());
    assertEquals("conflict", e.getMessage());
    assertTrue(e.isDefinite());
    // the timeout was cancelled: nothing happens later
    n.loop.runFor(10_000);
    assertFalse(n.log().contains("timer"));
  }

  @Test
  void handlerCanAnswerAfterAnRpcCompletes() {
    // the usual pattern: a client request waits on a node-to-node RPC, then replies
    ScriptedRuntime n =
        new ScriptedRuntime(
            node ->
                node.on(
                    "get",
                    m ->
                        node.rpc("n1", node.body("fetch"), 1000)
                            .whenComplete(
                                (r, t) -> {
                                  if (t != null) node.replyError(m, 11, "peer unavailable");
                                  else {
                                    var b = node.body("get_ok");
                                    b.set("v", r.body().get("v"));
                                    node.reply(m, b);
                                  }
                                })));
    n.send(init("n0", "n0", "n1"));
    List<JsonNode> r = n.send(msg("c3", "n0", "{\"type\":\"get\",\"msg_id\":1}"));
    long id = r.get(0).get("body").get("msg_id").longValue();
    r = n.send(msg("n1", "n0", "{\"type\":\"fetch_ok\",\"in_reply_to\":" + id + ",\"v\":[1,2]}"));
    assertEquals("{\"type\":\"get_ok\",\"v\":[1,2],\"in_reply_to\":1,\"msg_id\":3}", Json.write(r.get(0).get("body")));
    r = n.send(msg("c3", "n0", "{\"type\":\"get\",\"msg_id\":2}"));
    n.loop.runFor(1000);
    JsonNode err = n.parsed(n.out.size() - 1).get(0).get("body");
    assertEquals(11, err.get("code").longValue());
    assertEquals(2, err.get("in_reply_to").longValue());
  }

  // ------------------------------------------------------------------ timers

  @Test
  void timersRunInDeadlineOrderOnVirtualTimeAndCanBeCancelled() {
    Capture c = new Capture();
    ScriptedRuntime n = new ScriptedRuntime(c);
    n.send(init("n0", "n0"));
    Node node = c.node;
    List<String> events = new ArrayList<>();
    node.after(300, () -> events.add("a300@" + node.nowMillis()));
    node.after(100, () -> events.add("b100@" + node.nowMillis()));
    Cancellable x = node.after(200, () -> events.add("cancelled"));
    node.after(100, () -> events.add("c100@" + node.nowMillis()));
    Cancellable every = node.every(120, () -> events.add("e@" + node.nowMillis()));
    node.every(
        250,
        () -> {
          events.add("boom@" + node.nowMillis());
          throw new IllegalStateException("periodic failure");
        });
    x.cancel();
    x.cancel();
    long t0 = node.nowMillis();
    n.loop.runFor(400);
    every.cancel();
    n.loop.runFor(200);
    assertEquals(
        List.of(
            "b100@" + (t0 + 100),
            "c100@" + (t0 + 100),
            "e@" + (t0 + 120),
            "e@" + (t0 + 240),
            "boom@" + (t0 + 250),
            "a300@" + (t0 + 300),
            "e@" + (t0 + 360),
            "boom@" + (t0 + 500)),
        events);
    assertTrue(n.log().contains("periodic failure"));
    assertEchoWorks(n);
  }

  @Test
  void settingsAreVisibleToHandlers() {
    Capture c = new Capture();
    new ScriptedRuntime(new SimEventLoop(), c, 1, java.util.Map.of("fanout", "4")).loop.runFor(0);
    assertEquals("4", c.node.settings().get("fanout"));
  }

  @Test
  void storageIsInjectedPerNodeIdFromInitOnAndSyncsOnTheLoop() {
    List<String> log = new ArrayList<>();
    glomers.node.storage.MemoryStorage[] made = new glomers.node.storage.MemoryStorage[1];
    ScriptedRuntime n =
        new ScriptedRuntime(
            node -> {
              node.onInit(() -> {
                node.storage().append(new byte[] {1});
                node.storage().sync(() -> log.add("synced " + node.id()));
                log.add("init done");
              });
            });
    n.runtime.storage(id -> {
      log.add("opened for " + id);
      return made[0] = new glomers.node.storage.MemoryStorage(n.loop, glomers.node.storage.MemoryStorage.Disk.empty());
    });
    assertThrows(IllegalStateException.class, n.runtime::storage, "no node id before init");
    n.send(init("n1", "n0", "n1"));
    // the sync calls back in a later loop turn, after the init callback returned
    assertEquals(List.of("opened for n1", "init done", "synced n1"), log);
    assertEquals(1, made[0].crash().records().size());
    assertSame(made[0], n.runtime.storage());
  }
}
