package glomers.workloads.uniqueids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.protocol.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UniqueIdsHandlerTest {
  /** Starts a node process "n{i}" with the given seed, generates {@code count} ids, returns them. */
  private static List<String> generate(String id, long seed, int count) throws Exception {
    SimEventLoop loop = new SimEventLoop();
    List<String> out = new ArrayList<>();
    NodeRuntime rt =
        new NodeRuntime(loop, out::add, new SplittableRandom(seed), Map.of(), new PrintStream(OutputStream.nullOutputStream()));
    rt.install(new UniqueIdsHandler());
    rt.deliver(
        "{\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"" + id
            + "\",\"node_ids\":[\"n0\",\"n1\",\"n2\"]}}");
    for (int i = 0; i < count; i++) {
      rt.deliver("{\"src\":\"c7\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"generate\",\"msg_id\":" + (i + 1) + "}}");
    }
    loop.runUntilIdle();
    assertEquals(count + 1, out.size());
    List<String> ids = new ArrayList<>();
    for (String line : out.subList(1, out.size())) {
      JsonNode b = Json.parseTree(line).get("body");
      assertEquals("generate_ok", b.get("type").textValue());
      Set<String> keys = new HashSet<>();
      b.fieldNames().forEachRemaining(keys::add);
      assertEquals(Set.of("type", "id", "in_reply_to", "msg_id"), keys, "closed generate_ok schema");
      assertTrue(b.get("id").isTextual(), "ids are strings");
      ids.add(b.get("id").textValue());
    }
    return ids;
  }

  @Test
  void idsAreUniqueAcrossNodesAndAcrossRestartsOfOneNode() throws Exception {
    Set<String> all = new HashSet<>();
    int total = 0;
    for (String node : List.of("n0", "n1", "n2")) {
      // two processes per node id, as if restarted: the same counter values, different epochs
      for (long seed : new long[] {node.hashCode(), node.hashCode() + 1L}) {
        List<String> ids = generate(node, seed, 3000);
        total += ids.size();
        all.addAll(ids);
      }
    }
    assertEquals(total, all.size(), "duplicate ids");
  }

  @Test
  void sameNodeIdTwoProcessesShareNoId() throws Exception {
    List<String> a = generate("n0", 1, 100);
    List<String> b = generate("n0", 2, 100);
    Set<String> s = new HashSet<>(a);
    s.retainAll(b);
    assertEquals(Set.of(), s);
    assertTrue(a.get(0).startsWith("n0."), a.get(0));
  }
}
