package glomers.node;

import static glomers.node.ScriptedRuntime.init;
import static glomers.node.ScriptedRuntime.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.protocol.Json;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** KvClient against a scripted service: each request is answered with a canned reply. */
class KvClientTest {
  final NodeRuntimeTest.Capture c = new NodeRuntimeTest.Capture();
  final ScriptedRuntime n = new ScriptedRuntime(c);

  KvClientTest() {
    n.send(init("n0", "n0"));
  }

  /** The last request the node sent; checks it went to the service. */
  JsonNode lastRequest(String service) {
    n.loop.runFor(0);
    JsonNode env = n.parsed(n.out.size() - 1).get(0);
    assertEquals(service, env.get("dest").textValue());
    return env.get("body");
  }

  void answer(String service, JsonNode req, String body) {
    // services reply without msg_id (docs/maelstrom.md#services)
    n.send(msg(service, "n0", body.replace("$ID", String.valueOf(req.get("msg_id").longValue()))));
  }

  static RpcException failure(CompletableFuture<?> f) {
    assertTrue(f.isCompletedExceptionally());
    return KvClient.unwrap(f.handle((v, t) -> t).join());
  }

  @Test
  void readMapsMissingKeyToEmpty() {
    KvClient kv = c.node.kv("seq-kv");
    CompletableFuture<Optional<JsonNode>> f = kv.read("k");
    JsonNode req = lastRequest("seq-kv");
    assertEquals("{\"type\":\"read\",\"key\":\"k\",\"msg_id\":" + req.get("msg_id") + "}", Json.write(req));
    answer("seq-kv", req, "{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":20,\"text\":\"key does not exist\"}");
    assertEquals(Optional.empty(), f.join());

    f = kv.read("k");
    answer("seq-kv", lastRequest("seq-kv"), "{\"type\":\"read_ok\",\"in_reply_to\":$ID,\"value\":[1,2]}");
    assertEquals("[1,2]", f.join().orElseThrow().toString());

    f = kv.read(3);
    answer("seq-kv", lastRequest("seq-kv"), "{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":11}");
    assertEquals(11, failure(f).code());
  }

  @Test
  void casMapsTheExpectedErrorCodesToResults() {
    KvClient kv = c.node.kv("lin-kv");
    String[][] cases = {
      {"{\"type\":\"cas_ok\",\"in_reply_to\":$ID}", "OK"},
      {"{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":22,\"text\":\"current value 3 is not 1\"}", "PRECONDITION_FAILED"},
      {"{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":20}", "KEY_DOES_NOT_EXIST"},
      {"{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":21}", "KEY_ALREADY_EXISTS"},
    };
    for (String[] cs : cases) {
      CompletableFuture<KvClient.CasResult> f = kv.cas("k", 1, 2, true);
      JsonNode req = lastRequest("lin-kv");
      assertEquals("cas", req.get("type").textValue());
      assertEquals(1, req.get("from").longValue());
      assertEquals(2, req.get("to").longValue());
      assertTrue(req.get("create_if_not_exists").booleanValue());
      answer("lin-kv", req, cs[0]);
      assertEquals(KvClient.CasResult.valueOf(cs[1]), f.join());
    }
    CompletableFuture<KvClient.CasResult> f = kv.cas("k", 1, 2, false);
    JsonNode req = lastRequest("lin-kv");
    assertFalse(req.has("create_if_not_exists"), "flag only sent when asked for");
    answer("lin-kv", req, "{\"type\":\"error\",\"in_reply_to\":$ID,\"code\":13,\"text\":\"crash\"}");
    RpcException e = failure(f);
    assertEquals(13, e.code());
    assertFalse(e.isDefinite());
  }

  @Test
  void writeAndTimeouts() {
    KvClient kv = new KvClient(c.node, "lww-kv", 250);
    CompletableFuture<Void> w = kv.write("k", java.util.List.of(1, 2));
    JsonNode req = lastRequest("lww-kv");
    assertEquals("[1,2]", req.get("value").toString());
    answer("lww-kv", req, "{\"type\":\"write_ok\",\"in_reply_to\":$ID}");
    assertTrue(w.isDone() && !w.isCompletedExceptionally());

    CompletableFuture<Void> lost = kv.write("k", 1);
    lastRequest("lww-kv");
    n.loop.runFor(249);
    assertFalse(lost.isDone());
    n.loop.runFor(1);
    assertEquals(0, failure(lost).code());
    CompletableFuture<KvClient.CasResult> cas = kv.cas("k", 1, 2, false);
    lastRequest("lww-kv");
    n.loop.runFor(250);
    assertEquals(0, failure(cas).code(), "timeouts are not mistaken for a CAS result");
  }

  @Test
  void kvClientsAreCachedPerService() {
    assertTrue(c.node.kv("seq-kv") == c.node.kv("seq-kv"));
    assertFalse(c.node.kv("seq-kv") == c.node.kv("lin-kv"));
    assertEquals("lin-kv", c.node.kv("lin-kv").service());
  }
}
