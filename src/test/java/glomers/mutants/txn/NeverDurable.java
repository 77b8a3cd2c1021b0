package glomers.mutants.txn;

import glomers.mutants.FaultyDisk;
import glomers.node.storage.Storage;

/**
 * A disk that reports every sync complete and never makes anything durable (a write cache lost at power
 * failure): under it our txn node answers {@code txn_ok} for writes that a crash then wipes, along with
 * the node's own log and sequence numbers. Correct while nothing crashes.
 */
public final class NeverDurable extends FaultyDisk {
  public NeverDurable(Storage disk) {
    super(disk);
  }

  @Override
  public void sync(Runnable done) {
    done.run();
  }
}
