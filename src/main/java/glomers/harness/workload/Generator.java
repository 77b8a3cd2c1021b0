package glomers.harness.workload;

import glomers.harness.history.Op;

/**
 * A source of client invocations, pulled by the scheduler whenever a worker is free.
 *
 * <p>Called under the scheduler's lock (never concurrently), so plain fields are fine. Use only
 * {@link GenContext#random()} for randomness so that runs are reproducible from {@code --seed}. See
 * {@link Generators} for the common combinators (repeat, mix, each-thread, limit).
 */
public interface Generator {
  /**
   * Nothing to emit right now: the scheduler asks again after the next completion (or after a short
   * wait). Compare by identity.
   */
  Op PENDING = Op.invoke(Long.MIN_VALUE, "pending", null);

  /**
   * The next invocation for the free worker described by {@code ctx}: typically {@code Op.invoke(
   * ctx.process(), "read", null)} (the scheduler sets process and time anyway); or {@link #PENDING}; or
   * null when this worker is done (the phase ends when every worker got null).
   */
  Op next(GenContext ctx);

  /** Sees every completion (ok/fail/info) of ops this generator emitted, in history order. */
  default void update(Op completion) {}
}
