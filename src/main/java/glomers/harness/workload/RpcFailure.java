package glomers.harness.workload;

/** Base class of the ways a harness RPC can fail; see {@link Errors#complete} for the history mapping. */
public abstract class RpcFailure extends Exception {
  private static final long serialVersionUID = 1L;

  protected RpcFailure(String message) {
    super(message, null, false, false);
  }
}
