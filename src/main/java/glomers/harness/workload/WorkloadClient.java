package glomers.harness.workload;

import glomers.harness.history.Op;

/**
 * Turns one invocation into RPCs against the worker's node and returns its completion.
 *
 * <p>Blocking; runs on the worker's own thread, one op at a time. One instance per worker client (a
 * replacement client after an {@code :info} gets a new instance), so per-client state such as kafka's
 * assigned keys may live in fields.
 */
public interface WorkloadClient {
  /**
   * Performs {@code invocation} through {@code rpc} and returns {@code invocation.complete(OK|FAIL|INFO,
   * value)} (optionally {@code .withError(...)}). Use {@link Errors#complete} to map RPC exceptions like
   * Maelstrom's {@code with-errors}. Any exception thrown out of here is recorded as {@code :info} with
   * {@code :exception} (an indeterminate "process crash"), as Jepsen does.
   */
  Op invoke(Op invocation, RpcClient rpc) throws Exception;
}
