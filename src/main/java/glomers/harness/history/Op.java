package glomers.harness.history;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One history entry, as Jepsen records it: an invocation or a completion.
 *
 * <p>Values are plain Java JSON values ({@code Long}, {@code Double}, {@code String}, {@code Boolean},
 * {@code List<Object>}, {@code Map<String,Object>}, {@code null}) so that checkers compare them with
 * {@code equals}, which, like Clojure's {@code =}, tells {@code 1L} from {@code 1.0}.
 *
 * @param index position in the history, 0-based, dense
 * @param time nanoseconds since the test started
 * @param process worker process id, or {@link #NEMESIS}
 * @param f the operation's function, e.g. {@code "read"}, {@code "txn"}, {@code "start-partition"}
 * @param error Maelstrom's {@code :error} (e.g. {@code "net-timeout"} or {@code ["key-does-not-exist",
 *     "text"]}) or null
 * @param exception exception description for {@code :info} completions caused by one, or null
 * @param isFinal the op belongs to the final phase and carries {@code :final? true}
 * @param extra workload-specific keys (e.g. kafka's {@code poll-ms}); never null
 */
public record Op(
    int index,
    long time,
    OpType type,
    long process,
    String f,
    Object value,
    Object error,
    String exception,
    boolean isFinal,
    Map<String, Object> extra) {

  /** The process id Jepsen calls {@code :nemesis}. */
  public static final long NEMESIS = -1;

  public Op {
    extra = extra == null ? Map.of() : extra;
  }

  public static Op invoke(long process, String f, Object value) {
    return new Op(-1, 0, OpType.INVOKE, process, f, value, null, null, false, null);
  }

  public boolean isInvoke() {
    return type == OpType.INVOKE;
  }

  public boolean isOk() {
    return type == OpType.OK;
  }

  public boolean isFail() {
    return type == OpType.FAIL;
  }

  public boolean isInfo() {
    return type == OpType.INFO;
  }

  public boolean isNemesis() {
    return process == NEMESIS;
  }

  /** Client ops are everything but the nemesis. */
  public boolean isClient() {
    return process != NEMESIS;
  }

  public Op withIndex(int i) {
    return new Op(i, time, type, process, f, value, error, exception, isFinal, extra);
  }

  public Op withTime(long t) {
    return new Op(index, t, type, process, f, value, error, exception, isFinal, extra);
  }

  public Op withValue(Object v) {
    return new Op(index, time, type, process, f, v, error, exception, isFinal, extra);
  }

  public Op withFinal(boolean fin) {
    return new Op(index, time, type, process, f, value, error, exception, fin, extra);
  }

  /** A completion of this invocation (same process and f), e.g. {@code inv.complete(OK, v)}. */
  public Op complete(OpType t, Object v) {
    return new Op(-1, 0, t, process, f, v, null, null, isFinal, extra);
  }

  public Op withError(Object err) {
    return new Op(index, time, type, process, f, value, err, exception, isFinal, extra);
  }

  public Op withException(String ex) {
    return new Op(index, time, type, process, f, value, error, ex, isFinal, extra);
  }

  public Op withExtra(String key, Object v) {
    Map<String, Object> m = new LinkedHashMap<>(extra);
    m.put(key, v);
    return new Op(index, time, type, process, f, value, error, exception, isFinal, m);
  }

  /** The op as Jepsen/Maelstrom would print it, keys without colons (for history.jsonl and reports). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("time", time);
    m.put("type", type.keyword());
    m.put("process", process == NEMESIS ? "nemesis" : process);
    m.put("f", f);
    m.put("value", value);
    if (error != null) m.put("error", error);
    if (exception != null) m.put("exception", exception);
    if (isFinal) m.put("final?", true);
    m.putAll(extra);
    return m;
  }

  @Override
  public String toString() {
    return "{" + index + " " + type.keyword() + " p" + (process == NEMESIS ? "nemesis" : process) + " " + f
        + " " + value + (error != null ? " error=" + error : "") + " t=" + time / 1_000_000 + "ms}";
  }
}
