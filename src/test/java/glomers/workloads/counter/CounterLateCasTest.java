package glomers.workloads.counter;

import static glomers.node.ScriptedRuntime.init;
import static glomers.node.ScriptedRuntime.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.node.ScriptedRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted counter node meets its earlier life's last compare-and-set, which lands after the new life
 * read its key and carries the version the new life is about to use. seq-kv is scripted by hand, so the
 * interleaving is exact: the simulated runs reach it only with service latencies longer than a restart.
 */
class CounterLateCasTest {
  private final ScriptedRuntime n = new ScriptedRuntime(CounterHandler.pn());

  @Test
  void anAddIsNotAcknowledgedOnAnEarlierLifesValueThatHasItsVersion() {
    n.send(init("n0", "n0", "n1"));
    // The new life takes an add; it first reads its own key, which the earlier life left at [5, 100].
    JsonNode read = only(n.send(msg("c1", "n0", "{\"type\":\"add\",\"msg_id\":1,\"delta\":5}")), "seq-kv");
    assertEquals("read", read.get("type").textValue());
    JsonNode cas = only(reply(read, "{\"type\":\"read_ok\",\"value\":[5,100]}"), "seq-kv");
    assertEquals("[5,100]", cas.get("from").toString());
    assertEquals("[6,105]", cas.get("to").toString());
    // The earlier life's CAS from [5, 100] to [6, 103] landed first: ours fails, the node reads again.
    JsonNode reread = only(reply(cas, "{\"type\":\"error\",\"code\":22,\"text\":\"current value is [6,103]\"}"), "seq-kv");
    assertEquals("read", reread.get("type").textValue());
    // Version 6 is in the key, but with a total this life never wrote: the add is not in it yet.
    JsonNode next = only(reply(reread, "{\"type\":\"read_ok\",\"value\":[6,103]}"), "seq-kv");
    assertEquals("cas", next.get("type").textValue(), "no add_ok on the earlier life's value: " + next);
    assertEquals("[6,103]", next.get("from").toString());
    assertEquals("[7,108]", next.get("to").toString(), "the add goes on top of what the earlier life left");
    List<JsonNode> acks = reply(next, "{\"type\":\"cas_ok\"}");
    assertEquals(1, acks.size(), acks.toString());
    assertEquals("c1", acks.get(0).get("dest").textValue());
    assertEquals("add_ok", acks.get(0).get("body").get("type").textValue());
  }

  /** Answers a request the node sent to seq-kv, and returns what the node wrote then. */
  private List<JsonNode> reply(JsonNode request, String body) {
    String withId = body.replaceFirst("\\{", "{\"in_reply_to\":" + request.get("msg_id").longValue() + ",");
    return n.send(msg("seq-kv", "n0", withId));
  }

  /** The body of the one message written, which must go to {@code dest}. */
  private static JsonNode only(List<JsonNode> out, String dest) {
    assertEquals(1, out.size(), "expected one message to " + dest + ": " + out);
    assertTrue(dest.equals(out.get(0).get("dest").textValue()), out.toString());
    return out.get(0).get("body");
  }
}
