package glomers.node;

import com.fasterxml.jackson.databind.JsonNode;
import glomers.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixture for the runtime alone: one {@link NodeRuntime} on a {@link SimEventLoop}, fed scripted input
 * lines (malformed ones included, which no network would carry) and capturing its output lines and log.
 * Clusters of nodes run on the simulation engine instead ({@code glomers.sim.SimTestCluster}).
 */
public final class ScriptedRuntime {
  final SimEventLoop loop;
  final NodeRuntime runtime;
  final List<String> out = new ArrayList<>();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  public ScriptedRuntime(WorkloadHandler handler) {
    this(new SimEventLoop(), handler, 1, Map.of());
  }

  ScriptedRuntime(SimEventLoop loop, WorkloadHandler handler, long seed, Map<String, String> settings) {
    this.loop = loop;
    this.runtime =
        new NodeRuntime(
            loop, out::add, new SplittableRandom(seed), settings, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    runtime.install(handler);
  }

  public static String init(String id, String... ids) {
    StringBuilder b = new StringBuilder();
    for (String i : ids) b.append(b.length() == 0 ? "" : ",").append('"').append(i).append('"');
    return "{\"id\":0,\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\""
        + id + "\",\"node_ids\":[" + b + "]}}";
  }

  public static String msg(String src, String dest, String body) {
    return "{\"src\":\"" + src + "\",\"dest\":\"" + dest + "\",\"body\":" + body + "}";
  }

  /** Delivers the line and runs the loop until idle (no periodic timers!) or for 0 ms of virtual time. */
  public List<JsonNode> send(String line) {
    int before = out.size();
    runtime.deliver(line);
    loop.runFor(0);
    return parsed(before);
  }

  List<JsonNode> parsed(int from) {
    List<JsonNode> r = new ArrayList<>();
    for (String l : out.subList(from, out.size())) {
      try {
        r.add(Json.parseTree(l));
      } catch (Exception e) {
        throw new AssertionError("node wrote a non-JSON line: " + l, e);
      }
    }
    return r;
  }

  String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }
}
