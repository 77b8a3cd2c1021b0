package glomers.harness.workload.txn;

import glomers.harness.check.Checker;

/** Maelstrom's {@code txn-list-append} workload: appends to lists, checked by {@link ListAppendChecker}. */
public final class TxnListAppendWorkload extends TxnWorkload {
  public TxnListAppendWorkload() {
    super("append");
  }

  @Override
  public String name() {
    return "txn-list-append";
  }

  @Override
  Checker elleChecker() {
    return new ListAppendChecker();
  }
}
