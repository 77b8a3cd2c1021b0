package glomers.harness.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loud harness diagnostics for the places where Maelstrom stays silent (bad stdout lines, unknown
 * destinations, replies to closed clients, missed init deadline, crashes, unanswered service requests).
 * They never change the verdict; they are printed at once, listed in the summary and stored in
 * {@code diagnostics.txt} and results.json ({@code "harness-diagnostics"}).
 */
public final class Diagnostics implements Consumer<String> {
  private static final int MAX_KEPT = 200;
  private final PrintStream err;
  private final List<String> kept = new ArrayList<>();
  private long total;

  public Diagnostics(PrintStream err) {
    this.err = err;
  }

  @Override
  public synchronized void accept(String message) {
    total++;
    if (kept.size() < MAX_KEPT) {
      kept.add(message);
      err.println("\n!!! HARNESS DIAGNOSTIC: " + message);
    } else if (kept.size() == MAX_KEPT && total == MAX_KEPT + 1) {
      err.println("\n!!! HARNESS DIAGNOSTIC: more diagnostics suppressed");
    }
  }

  public synchronized List<String> all() {
    List<String> l = new ArrayList<>(kept);
    if (total > kept.size()) l.add("… and " + (total - kept.size()) + " more");
    return l;
  }

  public synchronized boolean isEmpty() {
    return total == 0;
  }
}
