package glomers.node.storage;

import glomers.node.EventLoop;
import java.util.List;
import java.util.Optional;

/**
 * {@link Storage} for a process that has nowhere durable to write: nothing is kept, nothing is recovered,
 * and a sync completes on the next loop turn. Right where nodes are never restarted (Maelstrom), and
 * free: records are dropped at once instead of accumulating in memory.
 */
public final class NoStorage implements Storage {
  private final EventLoop loop;

  public NoStorage(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public List<byte[]> recovered() {
    return List.of();
  }

  @Override
  public Optional<byte[]> recoveredSnapshot() {
    return Optional.empty();
  }

  @Override
  public void append(byte[] record) {}

  @Override
  public void snapshot(byte[] state) {}

  @Override
  public void sync(Runnable done) {
    loop.execute(done);
  }
}
