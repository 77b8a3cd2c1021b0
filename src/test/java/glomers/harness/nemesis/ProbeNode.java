package glomers.harness.nemesis;

import glomers.mutants.MiniNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test node for the process faults: an echo server that, on every {@code init}, counts its boots in a
 * file of its working directory and logs one line {@code boot <count> pid=<pid> id=<id> cwd=<dir>
 * state=<GLOMERS_STATE_DIR>} to stderr (which the harness appends to {@code node-logs/<id>.log}). With an
 * argument {@code <ms>}, every boot after the first waits that long before answering {@code init}.
 */
public final class ProbeNode {
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    MiniNode.runRaw((node, msg) -> {
      var body = MiniNode.body(msg);
      if ("init".equals(body.get("type"))) {
        node.id = (String) body.get("node_id");
        node.nodeIds = (java.util.List<String>) body.get("node_ids");
        Path boots = Path.of("boots");
        int n = Files.exists(boots) ? Integer.parseInt(Files.readString(boots).trim()) + 1 : 1;
        Files.writeString(boots, n + "\n");
        System.err.println("boot " + n + " pid=" + ProcessHandle.current().pid() + " id=" + node.id + " cwd="
            + Path.of("").toAbsolutePath() + " state=" + System.getenv("GLOMERS_STATE_DIR"));
        System.err.flush();
        if (n > 1 && args.length > 0) Thread.sleep(Long.parseLong(args[0]));
        node.reply(msg, java.util.Map.of("type", "init_ok"));
      } else if ("echo".equals(body.get("type"))) {
        node.reply(msg, java.util.Map.of("type", "echo_ok", "echo", body.get("echo")));
      }
    });
  }
}
