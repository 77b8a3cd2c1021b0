package glomers.mutants.kafka;

import glomers.mutants.FaultyDisk;
import glomers.node.storage.Storage;
import glomers.node.stream.PeerStreams;
import java.util.List;

/**
 * A disk that keeps only the node's life numbers: a kafka node on it restarts as if it had never
 * assigned an offset, so it hands out offsets again that it had acknowledged before the crash. Harmless
 * while nothing crashes.
 */
public final class ForgetsItsLog extends FaultyDisk {
  public ForgetsItsLog(Storage disk) {
    super(disk);
  }

  @Override
  public List<byte[]> recovered() {
    return disk.recovered().stream().filter(r -> PeerStreams.lifeOf(r) >= 0).toList();
  }
}
