package glomers.workloads.broadcast;

import glomers.node.SettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broadcast settings: a {@code profile} presets the others, explicit {@code key=value} settings win.
 * What each knob trades is in docs/broadcast.md.
 *
 * @param hub the node that relays (star, hybrid); null = the first node id
 */
record Config(
    String mode,
    long tickMs,
    boolean sync,
    long syncMarginMs,
    boolean adaptiveMargin,
    long holdoffMs,
    long ackDelayMs,
    long rtoMs,
    long windowMs,
    String hub) {

  /**
   * The record's own text, written out: a record's generated {@code toString} is bootstrapped through
   * method handles that the AOT cache and CDS archive cannot keep, which cost every broadcast node ≈ 30
   * spun classes on its way to {@code init_ok}, where this is logged (docs/runtime.md#where-start-up-goes).
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Config[mode=").append(mode);
    b.append(", tickMs=").append(tickMs).append(", sync=").append(sync).append(", syncMarginMs=").append(syncMarginMs);
    b.append(", adaptiveMargin=").append(adaptiveMargin).append(", holdoffMs=").append(holdoffMs);
    b.append(", ackDelayMs=").append(ackDelayMs).append(", rtoMs=").append(rtoMs).append(", windowMs=").append(windowMs);
    return b.append(", hub=").append(hub).append(']').toString();
  }

  static Config parse(Map<String, String> settings) {
    Map<String, String> s = new LinkedHashMap<>();
    String profile = settings.getOrDefault("profile", "balanced");
    switch (profile) {
      case "latency" -> s.putAll(Map.of("mode", "direct", "holdoff-ms", "0"));
      case "balanced" -> s.putAll(Map.of("mode", "star", "tick-ms", "150", "sync", "false"));
      case "efficient" -> s.putAll(Map.of("mode", "star", "tick-ms", "400", "sync", "true"));
      case "hybrid" -> s.putAll(Map.of("mode", "hybrid", "tick-ms", "100", "window-ms", "45", "sync-margin-ms", "2"));
      default -> throw new SettingException("setting profile=" + profile + ": expected balanced, efficient, latency or hybrid");
    }
    s.putAll(settings);
    String mode = s.get("mode");
    if (!List.of("star", "direct", "hybrid").contains(mode)) {
      throw new SettingException("setting mode=" + mode + ": expected star, direct or hybrid");
    }
    long ackDelay = number(s, "ack-delay-ms", 2000);
    return new Config(
        mode,
        Math.max(1, number(s, "tick-ms", 150)),
        SettingException.parseBoolean("sync", s.getOrDefault("sync", "false")),
        number(s, "sync-margin-ms", 25),
        SettingException.parseBoolean("adaptive-margin", s.getOrDefault("adaptive-margin", "true")),
        number(s, "holdoff-ms", 0),
        ackDelay,
        number(s, "rto-ms", ackDelay + 600),
        number(s, "window-ms", 45),
        s.get("hub"));
  }

  /** The hub among the test's nodes; a {@code hub} setting naming no node is an error, not a silent default. */
  String hubAmong(List<String> nodeIds) {
    if (hub == null) return nodeIds.get(0);
    if (!nodeIds.contains(hub)) throw new SettingException("setting hub=" + hub + " names no node of this test " + nodeIds);
    return hub;
  }

  private static long number(Map<String, String> s, String key, long dflt) {
    String v = s.get(key);
    return v == null ? dflt : SettingException.parseLong(key, v);
  }
}
