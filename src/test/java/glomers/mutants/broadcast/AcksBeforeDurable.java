package glomers.mutants.broadcast;

import glomers.node.storage.Storage;
import java.util.List;
import java.util.Optional;

/**
 * A disk that reports every sync complete at once, before the data is durable: under it our broadcast
 * node acknowledges a value before the value would survive a crash. Correct without crashes; a crash
 * right after a {@code broadcast_ok} loses the acknowledged value.
 */
public final class AcksBeforeDurable implements Storage {
  private final Storage disk;

  public AcksBeforeDurable(Storage disk) {
    this.disk = disk;
  }

  @Override
  public List<byte[]> recovered() {
    return disk.recovered();
  }

  @Override
  public Optional<byte[]> recoveredSnapshot() {
    return disk.recoveredSnapshot();
  }

  @Override
  public void append(byte[] record) {
    disk.append(record);
  }

  @Override
  public void snapshot(byte[] state) {
    disk.snapshot(state);
  }

  @Override
  public void sync(Runnable done) {
    done.run();
    disk.sync(() -> {});
  }
}
