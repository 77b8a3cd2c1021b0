package glomers.workloads.txn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.RpcException;
import glomers.node.WorkloadHandler;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;

/**
 * Node side of challenges 6a–6c ({@code txn-rw-register}) and of {@code txn-list-append}.
 *
 * <p>Two engines, picked by the {@code mode} setting:
 *
 * <ul>
 *   <li>{@code mode=rc} (default) — {@link ReplicatedEngine}: totally available, read committed. Every
 *       transaction runs atomically on the receiving node's event loop; its final writes are stamped with a
 *       Lamport version and pushed to the other nodes, and it is answered once the reachable ones hold them
 *       (a few milliseconds at most, never waiting on a partitioned peer); {@code PeerStreams} retransmit
 *       until acknowledged, and every write is synced to the node's storage before anyone sees it, so a
 *       restarted node recovers its acknowledged writes. Registers merge last-writer-wins; lists expose only a stable prefix in version order.
 *       Survives any partition without an error reply and converges after the heal.
 *   <li>{@code mode=strict} — {@link StrictEngine}: strict serializable, using Maelstrom's {@code lin-kv} as
 *       the commit point (a compare-and-set on one log head). Still never answers with an error, because
 *       lin-kv is reachable from every node even under partitions.
 * </ul>
 *
 * <p>Both engines share the micro-op format: {@code ["r", k, null]} is answered with the value read;
 * {@code ["w", k, v]} / {@code ["append", k, v]} are echoed back unchanged.
 */
public final class TxnHandler implements WorkloadHandler {
  /** Which data model the workload uses. */
  public enum Model {
    REGISTER("w"),
    LIST("append");

    final String writeF;

    Model(String writeF) {
      this.writeF = writeF;
    }
  }

  /** What an engine does with a validated transaction. */
  interface Engine {
    void install(Node node);

    /** Executes {@code txn} (validated [f,k,v] triples) and eventually replies to {@code request}. */
    void execute(Message request, ArrayNode txn);
  }

  private final Model model;

  public TxnHandler(Model model) {
    this.model = model;
  }

  public static TxnHandler rwRegister() {
    return new TxnHandler(Model.REGISTER);
  }

  public static TxnHandler listAppend() {
    return new TxnHandler(Model.LIST);
  }

  @Override
  public void install(Node node) {
    String mode = node.settings().getOrDefault("mode", "rc");
    Engine engine = switch (mode) {
      case "rc" -> new ReplicatedEngine(model);
      case "strict" -> new StrictEngine(model);
      default -> throw new IllegalArgumentException("unknown txn mode " + mode + " (expected rc or strict)");
    };
    engine.install(node);
    node.on("txn", msg -> {
      JsonNode txn = msg.body().get("txn");
      if (txn == null || !txn.isArray()) throw RpcException.malformed("txn must be an array of [f, k, v]");
      for (JsonNode mop : txn) {
        if (!mop.isArray() || mop.size() != 3) throw RpcException.malformed("micro-op must be [f, k, v]: " + mop);
        String f = mop.get(0).asText();
        if (!f.equals("r") && !f.equals(model.writeF)) {
          throw RpcException.malformed("unsupported micro-op " + f + " (expected r or " + model.writeF + ")");
        }
      }
      engine.execute(msg, (ArrayNode) txn);
    });
  }

  /** A reply body {@code {"type":"txn_ok","txn":…}}. */
  static ObjectNode ok(Node node, ArrayNode completed) {
    ObjectNode body = node.body("txn_ok");
    body.set("txn", completed);
    return body;
  }

  /** A completed micro-op [f, k, v]. */
  static ArrayNode mop(String f, JsonNode k, JsonNode v) {
    ArrayNode m = JsonLine.array();
    m.add(f);
    m.add(k);
    m.add(v == null ? NullNode.getInstance() : v);
    return m;
  }
}
