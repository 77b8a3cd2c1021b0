package glomers.workloads.broadcast;

import glomers.node.Node;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub's tick and what leaves know of its phase (star with {@code sync}, hybrid).
 *
 * <p>The hub flushes on a drift-free period. A leaf needs no knowledge of the network latency to aim at a
 * tick: each of its messages to the hub carries its send time, and the hub echoes "the leaf-clock send
 * time that would have arrived exactly at this (nominal) tick", which folds the one-way delay in. Echoes
 * of delayed uploads come out earlier, so with {@code adaptive-margin} the leaf aims at the earliest of its
 * last 16 echoes: the margin widens by the recent jitter on a busy machine and is exactly {@code
 * sync-margin-ms} on a quiet one.
 */
final class HubClock {
  private final Node node;
  private final long tick;
  private final long margin;
  private final boolean adaptive;

  // hub side
  private long nextTickAt;
  /** The scheduled time of the tick being sent (echoes are relative to it, so a late tick makes leaves early, never late). */
  private long tickNominal;
  /** Leaf → {its latest send time, when (hub clock) that message arrived}. */
  private final Map<String, long[]> leafStamps = new HashMap<>();

  // leaf side
  /** Upload slots in our clock: phase + k·tick; null until learnt. */
  private Long uploadPhase;
  private final ArrayDeque<Long> echoes = new ArrayDeque<>();

  HubClock(Node node, Config cfg) {
    this.node = node;
    this.tick = cfg.tickMs();
    this.margin = cfg.syncMarginMs();
    this.adaptive = cfg.adaptiveMargin();
  }

  /** Hub: runs {@code flush} every tick from one tick after now. */
  void startTicks(Runnable flush) {
    nextTickAt = node.nowMillis() + tick;
    tickNominal = node.nowMillis();
    node.after(tick, () -> tick(flush));
  }

  private void tick(Runnable flush) {
    tickNominal = nextTickAt;
    flush.run();
    long now = node.nowMillis();
    nextTickAt += tick;
    if (nextTickAt <= now) nextTickAt = now + tick - Math.floorMod(now - nextTickAt, tick);
    node.after(nextTickAt - now, () -> tick(flush));
  }

  /** Hub: how long until the next flush. */
  long untilTick() {
    return nextTickAt - node.nowMillis();
  }

  /** Hub: a leaf's send time arrived. */
  void leafStamp(String leaf, long stamp) {
    leafStamps.put(leaf, new long[] {stamp, node.nowMillis()});
  }

  /** Hub: the echo for a leaf, or null before it sent a stamp. */
  Long echo(String leaf) {
    long[] s = leafStamps.get(leaf);
    return s == null ? null : s[0] + (tickNominal - s[1]);
  }

  /**
   * Leaf: a new echo. The same upload is echoed at every tick (e + k·period), so only new residues count;
   * with {@code adaptive-margin} the slot is the earliest residue of the last 16 (within ± half a period of
   * the newest).
   */
  void learnPhase(long e) {
    Long last = echoes.peekLast();
    if (last != null && Math.floorMod(e - last, tick) == 0) return;
    echoes.addLast(e);
    if (echoes.size() > 16) echoes.removeFirst();
    long min = 0;
    if (adaptive) for (long x : echoes) min = Math.min(min, Math.floorMod(x - e + tick / 2, tick) - tick / 2);
    uploadPhase = e + min - margin;
  }

  /** Leaf: ms from now to the latest send time that still makes the hub's next tick, or null if unknown. */
  Long untilSlot() {
    if (uploadPhase == null) return null;
    long now = node.nowMillis();
    long k = Math.floorDiv(now - uploadPhase + tick - 1, tick);
    return uploadPhase + k * tick - now;
  }

  long margin() {
    return margin;
  }
}
