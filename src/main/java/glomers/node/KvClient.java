package glomers.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.ErrorCode;
import glomers.protocol.JsonLine;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A client for Maelstrom's key-value services (docs/maelstrom.md#kv-api). The expected "errors" of a KV store come
 * back as values: a missing key reads as {@link Optional#empty()}, and a compare-and-set reports
 * {@link CasResult}. Anything else (timeouts, unexpected codes) completes the future exceptionally with
 * {@link RpcException}. Call its methods on the loop thread (from a handler, callback or timer); the
 * futures complete on the loop thread too, so their callbacks may touch handler state without locks.
 *
 * <p>Keep in mind what each service promises: {@code lin-kv} is linearizable; {@code seq-kv} is only
 * sequentially consistent (reads may be stale, but never older than what this node last saw or wrote);
 * {@code lww-kv} never converges in Maelstrom 0.2.3.
 */
public final class KvClient {
  /** Outcome of a compare-and-set. */
  public enum CasResult {
    OK,
    /** Error 22: the current value is not {@code from}. */
    PRECONDITION_FAILED,
    /** Error 20: the key does not exist (and {@code createIfNotExists} was false). */
    KEY_DOES_NOT_EXIST,
    /** Error 21. */
    KEY_ALREADY_EXISTS
  }

  private final Node node;
  private final String service;
  private final long timeoutMillis;

  public KvClient(Node node, String service, long timeoutMillis) {
    this.node = node;
    this.service = service;
    this.timeoutMillis = timeoutMillis;
  }

  public String service() {
    return service;
  }

  public CompletableFuture<Optional<JsonNode>> read(Object key) {
    ObjectNode b = node.body("read");
    b.set("key", JsonLine.toTree(key));
    return node.rpc(service, b, timeoutMillis)
        .handle(
            (reply, err) -> {
              if (err == null) return Optional.ofNullable(reply.body().get("value"));
              RpcException e = unwrap(err);
              if (e.code() == ErrorCode.KEY_DOES_NOT_EXIST.code) return Optional.empty();
              throw e;
            });
  }

  public CompletableFuture<Void> write(Object key, Object value) {
    ObjectNode b = node.body("write");
    b.set("key", JsonLine.toTree(key));
    b.set("value", JsonLine.toTree(value));
    return node.rpc(service, b, timeoutMillis).thenApply(r -> null);
  }

  public CompletableFuture<CasResult> cas(Object key, Object from, Object to, boolean createIfNotExists) {
    ObjectNode b = node.body("cas");
    b.set("key", JsonLine.toTree(key));
    b.set("from", JsonLine.toTree(from));
    b.set("to", JsonLine.toTree(to));
    if (createIfNotExists) b.put("create_if_not_exists", true);
    return node.rpc(service, b, timeoutMillis)
        .handle(
            (reply, err) -> {
              if (err == null) return CasResult.OK;
              RpcException e = unwrap(err);
              if (e.code() == ErrorCode.PRECONDITION_FAILED.code) return CasResult.PRECONDITION_FAILED;
              if (e.code() == ErrorCode.KEY_DOES_NOT_EXIST.code) return CasResult.KEY_DOES_NOT_EXIST;
              if (e.code() == ErrorCode.KEY_ALREADY_EXISTS.code) return CasResult.KEY_ALREADY_EXISTS;
              throw e;
            });
  }

  static RpcException unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof RpcException e) return e;
    return new RpcException(ErrorCode.CRASH, String.valueOf(t));
  }
}
