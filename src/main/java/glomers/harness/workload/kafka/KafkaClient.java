package glomers.harness.workload.kafka;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import glomers.harness.workload.Errors;
import glomers.harness.workload.ReplySchema;
import glomers.harness.workload.ReplySchema.Type;
import glomers.harness.workload.RpcClient;
import glomers.harness.workload.WorkloadClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maelstrom's kafka client: a consumer with an assignment and local read positions plus a producer
 * (https://github.com/jepsen-io/maelstrom/blob/v0.2.3/src/maelstrom/workload/kafka.clj).
 *
 * <ul>
 *   <li>{@code assign [keys]}: {@code list_committed_offsets}, then each assigned key's position is the
 *       local one if known, else the committed one, else 0; unassigned keys are dropped. With
 *       {@code seek-to-beginning?} (final phase) every assigned key goes to 0 without an RPC.
 *   <li>{@code poll}: one {@code poll} with the whole position map, then {@code commit_offsets} of the
 *       highest offset returned per key. Positions advance only when both RPCs succeeded: a poll whose
 *       result is not recorded as ok must not move the consumer, or the next ok poll would look like a
 *       skip to the checker.
 *   <li>{@code send}: one {@code send}; the ok value carries {@code [offset, msg]}.
 *   <li>{@code crash}: {@code :info} at once, which makes the scheduler replace this client and process.
 * </ul>
 *
 * Only {@code assign} is idempotent (timeouts and indefinite errors → {@code :fail}); for polls and sends
 * they are {@code :info}. Keys are strings on the wire and in the history.
 */
public final class KafkaClient implements WorkloadClient {
  static final Set<String> IDEMPOTENT = Set.of("assign");

  static final Type PAIRS =
      Type.listOf(Type.of("[(one Int offset) (one Any msg)]", v -> v instanceof List<?> l && l.size() == 2
          && Type.INTEGER.accepts(l.get(0))));
  static final ReplySchema SEND_OK = ReplySchema.of("send_ok", Map.of("offset", Type.INTEGER));
  static final ReplySchema POLL_OK = ReplySchema.of("poll_ok", Map.of("msgs", Type.mapOf(PAIRS)));
  static final ReplySchema COMMIT_OK = ReplySchema.of("commit_offsets_ok");
  static final ReplySchema LIST_OK =
      ReplySchema.of("list_committed_offsets_ok", Map.of("offsets", Type.mapOf(Type.INTEGER)));

  private final long timeoutMillis;
  /** Assigned key → next offset to read. */
  private Map<String, Long> offsets = new LinkedHashMap<>();

  public KafkaClient(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Op invoke(Op op, RpcClient rpc) throws Exception {
    try {
      return switch (op.f()) {
        case "crash" -> op.complete(OpType.INFO, op.value());
        case "assign" -> assign(op, rpc);
        case "poll" -> poll(op, rpc);
        case "send" -> send(op, rpc);
        default -> throw new IllegalArgumentException("unknown kafka op " + op.f());
      };
    } catch (InterruptedException e) {
      throw e;
    } catch (glomers.harness.workload.RpcFailure e) {
      return Errors.complete(op, e, IDEMPOTENT);
    }
  }

  /** The positions this client will poll from (for tests). */
  Map<String, Long> positions() {
    return offsets;
  }

  private Op assign(Op op, RpcClient rpc) throws Exception {
    List<String> keys = KafkaOps.assignKeys(op);
    Map<String, Long> next = new LinkedHashMap<>();
    if (Boolean.TRUE.equals(op.extra().get("seek-to-beginning?"))) {
      for (String k : keys) next.put(k, 0L);
    } else {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", "list_committed_offsets");
      body.put("keys", keys);
      Map<String, Object> reply = rpc.call(body, timeoutMillis, LIST_OK);
      @SuppressWarnings("unchecked")
      Map<String, Object> committed = (Map<String, Object>) reply.get("offsets");
      for (String k : keys) {
        Long local = offsets.get(k);
        Object c = committed.get(k);
        next.put(k, local != null ? local : c != null ? ((Number) c).longValue() : 0L);
      }
    }
    offsets = next;
    return op.complete(OpType.OK, op.value());
  }

  private Op poll(Op op, RpcClient rpc) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "poll");
    body.put("offsets", new LinkedHashMap<>(offsets));
    Map<String, Object> reply = rpc.call(body, timeoutMillis, POLL_OK);
    @SuppressWarnings("unchecked")
    Map<String, Object> msgs = (Map<String, Object>) reply.get("msgs");
    Map<String, Long> highest = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : msgs.entrySet()) {
      long max = -1;
      for (Object p : (List<?>) e.getValue()) max = Math.max(max, ((Number) ((List<?>) p).get(0)).longValue());
      if (max >= 0) highest.put(e.getKey(), max);
    }
    if (!highest.isEmpty()) {
      Map<String, Object> commit = new LinkedHashMap<>();
      commit.put("type", "commit_offsets");
      commit.put("offsets", new LinkedHashMap<>(highest));
      rpc.call(commit, timeoutMillis, COMMIT_OK);
    }
    highest.forEach((k, o) -> offsets.merge(k, o + 1, Math::max));
    List<Object> mop = new ArrayList<>();
    mop.add("poll");
    mop.add(msgs);
    return op.complete(OpType.OK, List.of(mop));
  }

  private Op send(Op op, RpcClient rpc) throws Exception {
    List<?> mop = (List<?>) ((List<?>) op.value()).get(0);
    String k = KafkaOps.key(mop.get(1));
    Object msg = mop.get(2);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "send");
    body.put("key", k);
    body.put("msg", msg);
    Map<String, Object> reply = rpc.call(body, timeoutMillis, SEND_OK);
    long offset = ((Number) reply.get("offset")).longValue();
    return op.complete(OpType.OK, List.of(List.of("send", k, List.of(offset, msg))));
  }
}
