package glomers.harness.check.elle;

/** The dependency relations an edge of Elle's transaction graph can carry; an edge carries a set (bitmask). */
public enum Rel {
  /** Write-write: b overwrote (or appended after) a's write. */
  WW,
  /** Write-read: b read a's write. */
  WR,
  /** Read-write (anti-dependency): a read a version that b overwrote. */
  RW,
  /** a and b are consecutive operations of one process. */
  PROCESS,
  /** a completed before b was invoked. */
  REALTIME;

  public int bit() {
    return 1 << ordinal();
  }

  /** Elle's keyword (without colon). */
  public String keyword() {
    return name().toLowerCase();
  }

  public static int mask(Rel... rels) {
    int m = 0;
    for (Rel r : rels) m |= r.bit();
    return m;
  }

  /** Preference when one edge carries several relations: data dependencies explain best. */
  static final Rel[] PREFERENCE = {WW, WR, RW, PROCESS, REALTIME};
}
