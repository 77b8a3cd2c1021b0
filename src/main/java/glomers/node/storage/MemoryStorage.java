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
  /** Records since the snapshot; replaced (never cleared) by a snapshot, so a pending sync's view stays valid. */
  private List<byte[]> records = new ArrayList<>();
  private byte[] syncedSnapshot;
  private List<byte[]> syncedRecords;
  private int syncedCount;

  public MemoryStorage(EventLoop loop, Disk disk) {
    this.loop = loop;
    this.recovered = disk;
    this.snapshot = disk.snapshot();
    this.records.addAll(disk.records());
    this.syncedSnapshot = snapshot;
    this.syncedRecords = records;
    this.syncedCount = records.size();
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
    records = new ArrayList<>();
  }

  @Override
  public void sync(Runnable done) {
    // what this sync covers, without copying: the record list only grows until a snapshot replaces it
    byte[] snap = snapshot;
    List<byte[]> list = records;
    int count = list.size();
    loop.execute(
        () -> {
          syncedSnapshot = snap;
          syncedRecords = list;
          syncedCount = count;
          done.run();
        });
  }

  /** The node crashed: returns what its disk holds (only completed syncs). */
  public Disk crash() {
    return new Disk(syncedSnapshot, List.copyOf(syncedRecords.subList(0, syncedCount)));
  }
}
