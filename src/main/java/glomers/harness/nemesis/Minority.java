package glomers.harness.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** The nodes a process fault hits: a random non-empty minority, at most ⌊(n−1)/2⌋; for n = 1 the only node. */
final class Minority {
  private Minority() {}

  static List<String> pick(List<String> nodes, SplittableRandom r) {
    int max = Math.max(1, (nodes.size() - 1) / 2);
    int k = 1 + r.nextInt(max);
    List<String> chosen = new ArrayList<>(Grudges.shuffle(nodes, r).subList(0, k));
    Collections.sort(chosen);
    return chosen;
  }
}
