package glomers.workloads.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glomers.node.StdioNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broadcast nodes as real processes: bad settings at init, and a SIGKILL between two lives. */
class NodeProcessTest {
  static final String INIT =
      "{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\",\"n1\"]}}\n";

  static Process node(Path dir, Path stateDir, String... settings) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "glomers.cli.Main", "broadcast"));
    cmd.addAll(List.of(settings));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    if (stateDir != null) pb.environment().put(StdioNode.STATE_DIR_ENV, stateDir.toString());
    else pb.environment().remove(StdioNode.STATE_DIR_ENV);
    return pb.start();
  }

  static void write(Process p, String line) throws Exception {
    OutputStream o = p.getOutputStream();
    o.write(line.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  @Test
  void aHubSettingThatNamesNoNodeIsRejectedAtInit(@TempDir Path dir) throws Exception {
    Process p = node(dir, null, "hub=n7");
    write(p, INIT);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "node did not exit");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(StdioNode.BAD_SETTING, p.exitValue(), err);
    assertEquals("", out, "no init_ok");
    List<String> lines = err.lines().filter(l -> l.startsWith("bad setting")).toList();
    assertEquals(List.of("bad setting: setting hub=n7 names no node of this test [n0, n1]"), lines, err);
    assertFalse(err.contains("Exception"), err);
  }

  /** An acknowledged value survives kill -9 when the node has a state directory, and only then. */
  @Test
  void anAcknowledgedValueSurvivesSigkill(@TempDir Path dir) throws Exception {
    Path state = Files.createDirectory(dir.resolve("state"));
    assertEquals("[5]", killAndRead(dir, state));
    assertTrue(Files.isDirectory(state.resolve("n0")), "state under <dir>/<node id>");
    assertEquals("[]", killAndRead(dir, null), "no state directory: memory only");
  }

  /** The next output line of the given body type (a restarted node also announces itself to its peers). */
  private static String until(BufferedReader out, String type) throws Exception {
    for (String l; (l = out.readLine()) != null; ) if (l.contains("\"type\":\"" + type + "\"")) return l;
    throw new AssertionError("no " + type);
  }

  private static String killAndRead(Path dir, Path state) throws Exception {
    Process first = node(dir, state);
    BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
    write(first, INIT);
    assertTrue(until(out, "init_ok").contains("in_reply_to"));
    write(first, "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"broadcast\",\"msg_id\":2,\"message\":5}}\n");
    assertTrue(until(out, "broadcast_ok").contains("in_reply_to"));
    first.destroyForcibly().waitFor(); // SIGKILL
    Process second = node(dir, state);
    BufferedReader out2 = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
    write(second, INIT);
    assertTrue(until(out2, "init_ok").contains("in_reply_to"));
    write(second, "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"read\",\"msg_id\":3}}\n");
    String read = until(out2, "read_ok");
    second.destroyForcibly().waitFor();
    String messages = read.substring(read.indexOf("\"messages\":") + 11);
    return messages.substring(0, messages.indexOf(']') + 1);
  }
}
