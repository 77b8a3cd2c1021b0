package glomers.node.storage;

import glomers.node.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Storage} in memory, for simulations and tests. {@link #crash} keeps only what was synced and
 * returns the disk a restarted node recovers from, so a node that acknowledges before its sync completes
 * loses acknowledged state and is caught by the checker. A sync completes one loop turn later, so the
 * window between append and durability is real.
 */
public final class MemoryStorage implements Storage {
  /** What survives a crash: the synced snapshot and records. */
  public record Disk(byte[] snapshot, List<byte[]> records) {
    public static Disk empty() {
      return new Disk(null, List.of());
    }
  }

  private final EventLoop loop;
  private final Disk recovered;
  private byte[] snapshot;
  private final List<byte[]> records = new ArrayList<>();
  private Disk synced;

  public MemoryStorage(EventLoop loop, Disk disk) {
    this.loop = loop;
    this.recovered = disk;
    this.synced = disk;
    this.snapshot = disk.snapshot();
    this.records.addAll(disk.records());
  }

  @Override
  public List<byte[]> recovered() {
    return recovered.records();
  }

  @Override
  public Optional<byte[]> recoveredSnapshot() {
    return Optional.ofNullable(recovered.snapshot());
  }

  @Override
  public void append(byte[] record) {
    records.add(record.clone());
  }

  @Override
  public void snapshot(byte[] state) {
    snapshot = state.clone();
    records.clear();
  }

  @Override
  public void sync(Runnable done) {
    Disk upTo = new Disk(snapshot, List.copyOf(records));
    loop.execute(
        () -> {
          synced = upTo;
          done.run();
        });
  }

  /** The node crashed: returns what its disk holds (only completed syncs). */
  public Disk crash() {
    return synced;
  }
}
