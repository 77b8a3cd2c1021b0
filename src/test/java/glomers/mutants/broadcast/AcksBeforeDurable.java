package glomers.mutants.broadcast;

import glomers.mutants.FaultyDisk;
import glomers.node.storage.Storage;

/**
 * A disk that reports every sync complete at once, before the data is durable: under it our broadcast
 * node acknowledges a value before the value would survive a crash. Correct without crashes; a crash
 * right after a {@code broadcast_ok} loses the acknowledged value.
 */
public final class AcksBeforeDurable extends FaultyDisk {
  public AcksBeforeDurable(Storage disk) {
    super(disk);
  }

  @Override
  public void sync(Runnable done) {
    done.run();
    disk.sync(() -> {});
  }
}
