package glomers.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.protocol.ErrorCode;
import glomers.protocol.JsonLine;
import glomers.protocol.Message;
import glomers.node.storage.MemoryStorage;
import glomers.node.storage.Storage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The node runtime: parses incoming lines, handles {@code init}, dispatches to the workload handler,
 * matches RPC replies, and turns every kind of bad input into a log line or an error reply instead of a
 * crash.
 *
 * <p><b>Threading:</b> {@link #deliver} may be called from any thread (the stdin reader calls it); it
 * hands the line to the event loop, which runs everything else. Output lines go to the {@code out}
 * consumer from the loop thread; in production that consumer enqueues them for the stdout writer thread.
 */
public final class NodeRuntime implements Node {
  private final EventLoop loop;
  private final Consumer<String> out;
  private final RandomGenerator random;
  private final Map<String, String> settings;
  private final PrintStream log;
  private final Map<String, Handler> handlers = new HashMap<>();
  private final List<Runnable> initCallbacks = new ArrayList<>();
  private final Map<Long, PendingRpc> pending = new HashMap<>();
  private final Map<String, KvClient> kvClients = new HashMap<>();
  private Function<String, Storage> storageFor;
  private Consumer<String> onBadSetting;
  private Storage storage;

  private String nodeId;
  /** Before init we answer as whatever id we were addressed as, so error 11 still has a valid src. */
  private String provisionalId = "";
  private List<String> nodeIds = List.of();
  private List<String> others = List.of();
  private long nextMsgId = 1;

  /** An outstanding {@link #rpc}: only a reply from {@code dest} can complete it. */
  private record PendingRpc(String dest, CompletableFuture<Message> future, Cancellable timeout) {}

  /**
   * @param loop the event loop all handler code runs on
   * @param out receives each outgoing protocol line (no newline); called on the loop thread
   * @param random the random source handlers see
   * @param settings trailing {@code key=value} command-line settings
   * @param log where log lines go (stderr in production)
   */
  public NodeRuntime(
      EventLoop loop, Consumer<String> out, RandomGenerator random, Map<String, String> settings, PrintStream log) {
    this.loop = loop;
    this.out = out;
    this.random = random;
    this.settings = Map.copyOf(settings);
    this.log = log;
    this.storageFor = id -> new MemoryStorage(loop, MemoryStorage.Disk.empty());
    this.onBadSetting = text -> log("bad setting: %s", text);
  }

  /**
   * What happens when an init callback rejects a setting ({@link SettingException}): by default a log
   * line and no {@code init_ok}; a real process exits.
   */
  public NodeRuntime onBadSetting(Consumer<String> action) {
    this.onBadSetting = action;
    return this;
  }

  /**
   * Where {@link #storage} comes from, given the node id (default: empty memory). Called at most once,
   * on the first {@link #storage} call after {@code init}.
   */
  public NodeRuntime storage(Function<String, Storage> factory) {
    this.storageFor = factory;
    return this;
  }

  /** Installs the workload handler on the loop thread (before any line is delivered). */
  public NodeRuntime install(WorkloadHandler workload) {
    loop.execute(() -> workload.install(this));
    return this;
  }

  /** Hands one raw stdin line to the loop. Any thread. */
  public void deliver(String line) {
    loop.execute(() -> handleLine(line));
  }

  // ---------------------------------------------------------------- incoming

  private void handleLine(String line) {
    if (line.isBlank()) return;
    JsonNode tree;
    try {
      tree = JsonLine.parseTree(line);
    } catch (Exception e) {
      log("dropping malformed JSON line (%s): %s", firstLine(e.getMessage()), line);
      return;
    }
    if (!(tree instanceof ObjectNode env)
        || !env.path("src").isTextual()
        || !(env.get("body") instanceof ObjectNode body)) {
      log("dropping line that is not a Maelstrom envelope {src, dest, body:{…}}: %s", line);
      return;
    }
    String dest = env.path("dest").isTextual() ? env.get("dest").textValue() : nodeId;
    Message msg = new Message(env.get("src").textValue(), dest, body);
    if (nodeId == null && dest != null) provisionalId = dest;
    try {
      dispatch(msg);
    } catch (RpcException e) {
      replyError(msg, e.code(), e.getMessage());
    } catch (OutOfMemoryError e) {
      throw e; // nothing sensible left to do; let the loop log it
    } catch (Exception | Error e) {
      // Includes StackOverflowError from a runaway handler. 13 (crash) is indefinite: the handler may have
      // changed state before failing, so the client must not assume the operation did not happen.
      log("handler for %s failed on %s: %s", msg.type(), line, e);
      e.printStackTrace(log);
      replyError(msg, ErrorCode.CRASH.code, "internal error: " + e);
    }
  }

  private void dispatch(Message msg) throws Exception {
    long inReplyTo = msg.inReplyTo();
    if (inReplyTo >= 0) {
      PendingRpc p = pending.get(inReplyTo);
      // msg_ids are only unique per sender: a message from someone else that happens to carry the same
      // in_reply_to is not our reply.
      if (p != null && p.dest.equals(msg.src())) {
        pending.remove(inReplyTo);
        completeRpc(p, msg);
        return;
      }
    }
    String type = msg.type();
    if (type == null) {
      if (msg.body().has("type")) throw RpcException.malformed("field 'type' must be a string");
      throw RpcException.malformed("message body has no 'type'");
    }
    if (type.equals("init")) {
      handleInit(msg);
      return;
    }
    Handler h = handlers.get(type);
    if (h == null) {
      if (inReplyTo >= 0) {
        log("ignoring late or unexpected reply %s from %s (in_reply_to %d)", type, msg.src(), inReplyTo);
        return;
      }
      if (type.equals("error")) {
        log("ignoring error message from %s: %s", msg.src(), msg.body());
        return;
      }
      throw new RpcException(ErrorCode.NOT_SUPPORTED, "unsupported message type '" + type + "'");
    }
    if (nodeId == null) throw RpcException.unavailable("node is not initialised yet (no init received)");
    h.handle(msg);
  }

  private void handleInit(Message msg) {
    JsonNode id = msg.body().get("node_id");
    JsonNode ids = msg.body().get("node_ids");
    if (id == null || !id.isTextual() || ids == null || !ids.isArray()) {
      throw RpcException.malformed("init needs node_id (string) and node_ids (array of strings)");
    }
    List<String> all = new ArrayList<>();
    for (JsonNode n : ids) {
      if (!n.isTextual()) throw RpcException.malformed("node_ids must be strings");
      all.add(n.textValue());
    }
    boolean first = nodeId == null;
    nodeId = id.textValue();
    nodeIds = Collections.unmodifiableList(all);
    List<String> o = new ArrayList<>(all);
    o.remove(nodeId);
    others = Collections.unmodifiableList(o);
    if (first) {
      try {
        for (Runnable r : initCallbacks) r.run();
      } catch (SettingException e) {
        onBadSetting.accept(e.getMessage());
        return;
      }
    } else {
      log("init received again; keeping state, node id now %s", nodeId);
    }
    reply(msg, body("init_ok"));
  }

  private void completeRpc(PendingRpc p, Message reply) {
    p.timeout.cancel();
    if ("error".equals(reply.type())) {
      JsonNode code = reply.body().get("code");
      JsonNode text = reply.body().get("text");
      p.future.completeExceptionally(
          new RpcException(
              code != null && code.isIntegralNumber() ? code.longValue() : ErrorCode.CRASH.code,
              text != null ? text.asText() : "error from " + reply.src()));
    } else {
      p.future.complete(reply);
    }
  }

  // ---------------------------------------------------------------- Node API

  @Override
  public String id() {
    return nodeId;
  }

  @Override
  public List<String> nodeIds() {
    return nodeIds;
  }

  @Override
  public List<String> otherNodeIds() {
    return others;
  }

  @Override
  public void on(String type, Handler handler) {
    handlers.put(type, handler);
  }

  @Override
  public void onInit(Runnable callback) {
    initCallbacks.add(callback);
  }

  @Override
  public void reply(Message request, ObjectNode body) {
    long id = request.msgId();
    if (id >= 0) body.put("in_reply_to", id);
    if (!body.has("msg_id")) body.put("msg_id", nextMsgId++);
    write(request.src(), body);
  }

  @Override
  public void replyError(Message request, long code, String text) {
    if (request.msgId() < 0) {
      log("not answering %s from %s with error %d (%s): request has no msg_id", request.type(), request.src(), code, text);
      return;
    }
    ObjectNode b = body("error");
    b.put("in_reply_to", request.msgId());
    b.put("code", code);
    if (text != null) b.put("text", text);
    write(request.src(), b);
  }

  @Override
  public void send(String dest, ObjectNode body) {
    write(dest, body);
  }

  @Override
  public CompletableFuture<Message> rpc(String dest, ObjectNode body, long timeoutMillis) {
    long id = nextMsgId++;
    body.put("msg_id", id);
    CompletableFuture<Message> f = new CompletableFuture<>();
    Cancellable timeout =
        loop.schedule(
            timeoutMillis,
            () -> {
              if (pending.remove(id) != null) {
                f.completeExceptionally(
                    new RpcException(ErrorCode.TIMEOUT, "no reply from " + dest + " within " + timeoutMillis + " ms"));
              }
            });
    pending.put(id, new PendingRpc(dest, f, timeout));
    write(dest, body);
    return f;
  }

  @Override
  public Cancellable after(long delayMillis, Runnable task) {
    return loop.schedule(delayMillis, guarded(task));
  }

  @Override
  public Cancellable every(long periodMillis, Runnable task) {
    if (periodMillis <= 0) throw new IllegalArgumentException("period must be positive");
    Runnable guarded = guarded(task);
    Cancellable[] current = new Cancellable[1];
    boolean[] cancelled = new boolean[1];
    Runnable[] tick = new Runnable[1];
    tick[0] =
        () -> {
          if (cancelled[0]) return;
          guarded.run();
          if (!cancelled[0]) current[0] = loop.schedule(periodMillis, tick[0]);
        };
    current[0] = loop.schedule(periodMillis, tick[0]);
    return () -> {
      cancelled[0] = true;
      current[0].cancel();
    };
  }

  @Override
  public long nowMillis() {
    return loop.nowMillis();
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public KvClient kv(String service) {
    return kvClients.computeIfAbsent(service, s -> new KvClient(this, s, 1000));
  }

  @Override
  public Storage storage() {
    if (nodeId == null) throw new IllegalStateException("storage is available from init on");
    if (storage == null) storage = storageFor.apply(nodeId);
    return storage;
  }

  @Override
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public void log(String format, Object... args) {
    String prefix = nodeId == null ? "" : nodeId + " ";
    log.println(prefix + (args.length == 0 ? format : String.format(format, args)));
  }

  // ---------------------------------------------------------------- helpers

  private void write(String dest, ObjectNode body) {
    out.accept(new Message(nodeId == null ? provisionalId : nodeId, dest, body).toLine());
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Exception e) {
        log("timer task failed: %s", e);
        e.printStackTrace(log);
      }
    };
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
