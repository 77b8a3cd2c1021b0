package glomers.mutants.kafka;

import glomers.node.storage.Storage;
import glomers.node.stream.PeerStreams;
import java.util.List;
import java.util.Optional;

/**
 * A disk that keeps only the node's life numbers: a kafka node on it restarts as if it had never
 * assigned an offset, so it hands out offsets again that it had acknowledged before the crash. Harmless
 * while nothing crashes.
 */
public final class ForgetsItsLog implements Storage {
  private final Storage disk;

  public ForgetsItsLog(Storage disk) {
    this.disk = disk;
  }

  @Override
  public List<byte[]> recovered() {
    return disk.recovered().stream().filter(r -> PeerStreams.lifeOf(r) >= 0).toList();
  }

  @Override
  public Optional<byte[]> recoveredSnapshot() {
    return Optional.empty();
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
