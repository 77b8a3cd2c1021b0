package glomers.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * What a workload handler sees of its Maelstrom node: identity, messaging, RPC, timers, time, randomness
 * and settings. Modelled on Maelstrom's own Go node library.
 *
 * <p><b>Threading:</b> every method must be called from the event-loop thread, which is the thread that
 * runs handlers, RPC callbacks and timer tasks. Handlers therefore need no locks. Nothing here blocks.
 * Handlers must not block either (no sleeping, no {@code join()} on an rpc future, no I/O): one blocked
 * handler stalls every message, timer and reply of the node.
 *
 * <p><b>Failures:</b> a handler that throws {@link RpcException} answers with that error; any other
 * exception answers with error 13 (crash) and the node keeps serving. Code running later (in an
 * {@link #rpc} callback or a timer) has no request to answer: an exception in a timer is logged, but an
 * exception inside a {@code CompletableFuture} callback is captured by the dependent future and silently
 * lost, so callbacks that answer a client should use {@code whenComplete}/{@code handle} and always reply.
 *
 * <p><b>Reply schemas:</b> Maelstrom validates every reply to its clients against a closed schema
 * ({@code type}, {@code in_reply_to}, optional integer {@code msg_id}, plus exactly the workload's
 * fields). {@link #reply} adds only {@code in_reply_to} and {@code msg_id}; never put other extra fields
 * in a client reply.
 */
public interface Node {
  /** This node's id ({@code "n0"}); null before {@code init}. */
  String id();

  /** All node ids in test order, including this one; empty before {@code init}. */
  List<String> nodeIds();

  /** All node ids except this one. */
  List<String> otherNodeIds();

  /** Registers the handler for a body {@code type}. Registering a type twice replaces the handler. */
  void on(String type, Handler handler);

  /** Runs after {@code init} has set the ids and before {@code init_ok} is sent. */
  void onInit(Runnable callback);

  /** Sends a reply to {@code request}: sets {@code in_reply_to} (and a fresh {@code msg_id} if absent). */
  void reply(Message request, ObjectNode body);

  /** Replies with an {@code error} body carrying the code and text. */
  void replyError(Message request, long code, String text);

  /** Fire-and-forget send; the body is sent as given (no {@code msg_id} is added). */
  void send(String dest, ObjectNode body);

  /**
   * Sends a request with a fresh {@code msg_id} and completes the future, on the loop thread, with the
   * reply. An {@code error} reply completes it exceptionally with {@link RpcException}; no reply within
   * {@code timeoutMillis} completes it exceptionally with an {@link RpcException} of code 0 (timeout), and
   * a reply arriving later is dropped.
   */
  CompletableFuture<Message> rpc(String dest, ObjectNode body, long timeoutMillis);

  /** Runs {@code task} once after the delay, on the loop thread. */
  Cancellable after(long delayMillis, Runnable task);

  /** Runs {@code task} every {@code periodMillis} (first run after one period), on the loop thread. */
  Cancellable every(long periodMillis, Runnable task);

  /** Monotonic milliseconds from the injected clock. */
  long nowMillis();

  /** The injected random source (seeded in simulations). */
  RandomGenerator random();

  /** A client for one of Maelstrom's key-value services: {@code "seq-kv"}, {@code "lin-kv"}, {@code "lww-kv"}. */
  KvClient kv(String service);

  /**
   * Settings given on the command line as trailing {@code key=value} arguments (Maelstrom forwards only
   * non-option arguments to nodes), e.g. {@code launcher broadcast tick-ms=150}.
   */
  Map<String, String> settings();

  /**
   * This node's durable store: files in a real process given a directory of its own ({@link
   * StdioNode#STATE_DIR_ENV}), else memory; in simulations memory that a crash truncates to what was synced. Available from {@code init} on; opened on first use, so
   * workloads that keep nothing durable write nothing.
   */
  glomers.node.storage.Storage storage();

  /** Logs a line to stderr (never stdout). */
  void log(String format, Object... args);

  /** Convenience: an empty body of the given type. */
  default ObjectNode body(String type) {
    ObjectNode b = glomers.protocol.JsonLine.object();
    b.put("type", type);
    return b;
  }
}
