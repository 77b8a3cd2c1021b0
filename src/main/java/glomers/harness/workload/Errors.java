package glomers.harness.workload;

import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Maelstrom's {@code with-errors} mapping of RPC outcomes to history types (docs/maelstrom.md#errors).
 *
 * <pre>
 * error reply, definite code        → :fail, :error [name text]
 * error reply, indefinite/unknown   → :fail if f is idempotent, else :info; :error [name text]
 * timeout                           → :fail if f is idempotent, else :info; :error "net-timeout"
 * malformed reply / anything else   → :info + :exception (process crash)
 * </pre>
 *
 * Workloads without error handling (g-set, counters) should not call this: let every exception out of
 * {@link WorkloadClient#invoke} (the scheduler records it as {@code :info} with {@code :exception}).
 */
public final class Errors {
  private Errors() {}

  /** The completion of {@code invocation} that failed with {@code e}. */
  public static Op complete(Op invocation, Exception e, Set<String> idempotentFs) {
    boolean idempotent = idempotentFs.contains(invocation.f());
    if (e instanceof RpcErrorException err) {
      OpType t = err.definite() || idempotent ? OpType.FAIL : OpType.INFO;
      return invocation.complete(t, invocation.value()).withError(Arrays.asList(err.name(), err.text()));
    }
    if (e instanceof RpcTimeoutException) {
      return invocation.complete(idempotent ? OpType.FAIL : OpType.INFO, invocation.value())
          .withError("net-timeout");
    }
    return crashed(invocation, e);
  }

  /** The {@code :info} completion Jepsen records when a client throws: an indeterminate process crash. */
  public static Op crashed(Op invocation, Throwable e) {
    return invocation.complete(OpType.INFO, invocation.value()).withException(describe(e));
  }

  /** Jepsen-style exception description: class name and message. */
  public static String describe(Throwable e) {
    String cls = e.getClass().getName();
    return e.getMessage() == null ? cls : cls + ": " + e.getMessage();
  }

  /** Convenience: no idempotent fs. */
  public static Op complete(Op invocation, Exception e) {
    return complete(invocation, e, Set.of());
  }

  static List<Object> pair(Object a, Object b) {
    return Arrays.asList(a, b);
  }
}
