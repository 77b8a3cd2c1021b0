package glomers.harness.workload.txn;

import glomers.harness.check.Checker;

/** Maelstrom's {@code txn-rw-register} workload: read/write registers, checked by {@link RwRegisterChecker}. */
public final class TxnRwRegisterWorkload extends TxnWorkload {
  public TxnRwRegisterWorkload() {
    super("w");
  }

  @Override
  public String name() {
    return "txn-rw-register";
  }

  @Override
  Checker elleChecker() {
    return new RwRegisterChecker();
  }
}
