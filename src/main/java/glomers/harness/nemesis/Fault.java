package glomers.harness.nemesis;

import java.util.SplittableRandom;

/**
 * One kind of fault the {@link Nemesis} schedules (a partition today; a crash, a pause or duplicated
 * messages plug in the same way). {@code start} and {@code stop} act at once, on whatever backend the
 * test runs, and describe what they did as the values of the two {@code :info} history entries Jepsen
 * records per nemesis op.
 */
public interface Fault {
  /** The history's nemesis {@code :f} names: {@code start-<name>} and {@code stop-<name>}. */
  String name();

  /** Chooses what this start will do, with the nemesis's random stream; nothing happens yet. */
  Start plan(SplittableRandom random);

  /** Ends the fault; returns the value of the op's second history entry. */
  Object stop();

  /** A planned start. */
  interface Start {
    /** The value of the op's first history entry (what is asked), recorded before the fault acts. */
    Object asked();

    /** Acts; returns the value of the op's second history entry (what was done). */
    Object apply();
  }
}
