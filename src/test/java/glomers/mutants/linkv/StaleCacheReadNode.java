package glomers.mutants.linkv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.StdioNode;
import glomers.node.WorkloadHandler;
import glomers.protocol.ErrorCode;
import glomers.protocol.Json;
import glomers.workloads.linkv.KvStateMachine;
import glomers.workloads.raft.RaftConfig;
import glomers.workloads.raft.RaftNode;
import java.util.HashMap;
import java.util.Map;

/**
 * MUTANT (must be rejected by the lin-kv checker): writes and CAS go through Raft correctly, but every
 * node answers reads from a local cache of its own replica that it refreshes at most once a second — the
 * classic "read from a nearby replica" shortcut. Reads return values that were overwritten long ago.
 */
public final class StaleCacheReadNode implements WorkloadHandler {
  private final KvStateMachine kv = new KvStateMachine();
  private final Map<String, ObjectNode> cache = new HashMap<>();
  private final Map<String, Long> cachedAt = new HashMap<>();

  @Override
  public void install(Node node) {
    RaftNode raft = new RaftNode(node, kv, RaftConfig.from(node.settings())).install();
    node.on("read", m -> {
      JsonNode key = m.body().get("key");
      String k = Json.write(key);
      Long at = cachedAt.get(k);
      if (at == null || node.nowMillis() - at > 1000) {
        cache.put(k, kv.read(key)); // throws 20 for a missing key: fine, not cached
        cachedAt.put(k, node.nowMillis());
      }
      node.reply(m, cache.get(k).deepCopy());
    });
    Handler write = m -> {
      if (!raft.isLeader()) throw new RpcException(ErrorCode.TEMPORARILY_UNAVAILABLE, "not the leader");
      ObjectNode cmd = m.body().deepCopy();
      cmd.remove("msg_id");
      raft.propose(cmd).whenComplete((r, err) -> {
        if (err == null) node.reply(m, r.deepCopy());
        else if (err instanceof RpcException e) node.replyError(m, e.code(), e.getMessage());
        else if (err.getCause() instanceof RpcException e) node.replyError(m, e.code(), e.getMessage());
        else node.replyError(m, ErrorCode.CRASH.code, String.valueOf(err));
      });
    };
    node.on("write", write);
    node.on("cas", write);
  }

  private interface Handler extends glomers.node.Handler {}

  public static void main(String[] args) throws Exception {
    System.exit(StdioNode.run(new StaleCacheReadNode(), Map.of(), System.in, System.out, System.err));
  }
}
