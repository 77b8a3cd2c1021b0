package glomers.workloads.linkv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.RpcException;
import glomers.protocol.ErrorCode;
import glomers.protocol.Json;
import glomers.workloads.raft.StateMachine;
import java.util.HashMap;
import java.util.Map;

/**
 * The key-value map Raft replicates. Keys and values are arbitrary JSON compared structurally, like
 * Maelstrom's own lin-kv service ({@code 1} ≠ {@code "1"} ≠ {@code 1.0}): the map is keyed by the key's
 * canonical compact JSON text, which distinguishes exactly those cases.
 *
 * <p>Commands are the client request bodies minus their envelope fields: {@code write} and {@code cas}
 * go through the log; {@code read} is served by {@link #read} after a ReadIndex round and never logged.
 */
public final class KvStateMachine implements StateMachine {
  private final Map<String, JsonNode> data = new HashMap<>();

  @Override
  public ObjectNode apply(ObjectNode command) {
    String type = command.path("type").asText();
    JsonNode key = command.get("key");
    String k = Json.write(key);
    ObjectNode reply = Json.object();
    switch (type) {
      case "write" -> {
        data.put(k, command.get("value"));
        reply.put("type", "write_ok");
      }
      case "cas" -> {
        JsonNode current = data.get(k);
        if (current == null) {
          if (!command.path("create_if_not_exists").asBoolean(false)) {
            throw new RpcException(ErrorCode.KEY_DOES_NOT_EXIST, "key " + k + " does not exist");
          }
        } else if (!current.equals(command.get("from"))) {
          throw new RpcException(
              ErrorCode.PRECONDITION_FAILED, "current value " + Json.write(current) + " is not " + Json.write(command.get("from")));
        }
        data.put(k, command.get("to"));
        reply.put("type", "cas_ok");
      }
      default -> throw new RpcException(ErrorCode.NOT_SUPPORTED, "unknown command " + type);
    }
    return reply;
  }

  /** The {@code read_ok} body for a key, or error 20. */
  public ObjectNode read(JsonNode key) {
    JsonNode v = data.get(Json.write(key));
    if (v == null) throw new RpcException(ErrorCode.KEY_DOES_NOT_EXIST, "key " + Json.write(key) + " does not exist");
    ObjectNode reply = Json.object();
    reply.put("type", "read_ok");
    reply.set("value", v);
    return reply;
  }
}
