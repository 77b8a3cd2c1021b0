package glomers.workloads.raft;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The replicated state machine Raft drives. Raft knows nothing about what a command means: it only
 * promises that every node calls {@link #apply} with the same commands in the same (log) order, exactly
 * once each. Implementations must therefore be deterministic: no clock, no randomness, no I/O.
 */
public interface StateMachine {
  /**
   * Applies one committed command and returns the reply body for the client that proposed it. Throwing
   * {@link glomers.node.RpcException} is a deterministic, <em>definite</em> outcome (e.g. a CAS whose
   * precondition failed); the state must then be unchanged.
   */
  ObjectNode apply(ObjectNode command);
}
