package glomers.mutants;

import glomers.node.storage.Storage;
import java.util.List;
import java.util.Optional;

/** A {@link Storage} that passes everything to a real disk; a mutant's disk overrides the one thing it gets wrong. */
public abstract class FaultyDisk implements Storage {
  protected final Storage disk;

  protected FaultyDisk(Storage disk) {
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
    disk.sync(done);
  }
}
