package glomers.mutants.raft;

import glomers.mutants.FaultyDisk;
import glomers.node.storage.Storage;
import java.util.List;

/**
 * A disk that loses the Raft node's term-and-vote records ({@code T …}) across a restart but keeps its
 * log: the node comes back willing to vote again in a term where it already voted, so two candidates
 * can both win one term. Harmless while nothing crashes.
 */
public final class ForgetsItsVote extends FaultyDisk {
  public ForgetsItsVote(Storage disk) {
    super(disk);
  }

  @Override
  public List<byte[]> recovered() {
    return disk.recovered().stream().filter(r -> r.length == 0 || r[0] != 'T').toList();
  }
}
