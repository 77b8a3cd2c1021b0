package glomers.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The report of {@code sim --seeds}: one row per seed (verdict and key figures), the distribution of each
 * figure over the seeds (median, p95, max; the minimum for availability), and the replay command of every
 * failing seed.
 */
final class SeedTable {
  private SeedTable() {}

  /** Column header and results path of each figure shown (absent figures print as "-"). */
  private static final String[][] FIGURES = {
    {"ops", "stats.count"},
    {"avail", "availability.ok-fraction"},
    {"msgs/op", "net.servers.msgs-per-op"},
    {"lat p50", "workload.stable-latencies.0.5"},
    {"lat max", "workload.stable-latencies.1"},
  };

  static void print(PrintStream out, List<SimCommand.SeedRun> runs, double seconds, LongFunction<String> replay) {
    List<Integer> shown = new ArrayList<>();
    for (int f = 0; f < FIGURES.length; f++) {
      for (SimCommand.SeedRun r : runs) {
        if (value(r, f) != null) {
          shown.add(f);
          break;
        }
      }
    }
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-12s %-8s", "seed", "valid?"));
    for (int f : shown) h.append(String.format(Locale.ROOT, " %10s", FIGURES[f][0]));
    h.append(String.format(Locale.ROOT, " %8s", "wall s"));
    out.println(h);
    for (SimCommand.SeedRun r : runs) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12d %-8s", r.seed(), verdict(r)));
      for (int f : shown) {
        Double v = value(r, f);
        row.append(String.format(Locale.ROOT, " %10s", v == null ? "-" : Targets.fmt(round(v))));
      }
      row.append(String.format(Locale.ROOT, " %8.3f", r.wallSeconds()));
      out.println(row);
    }
    out.println();
    long failing = runs.stream().filter(SimCommand.SeedRun::failed).count();
    out.printf(Locale.ROOT, "%d seeds, %d failing, %.1f s wall%n", runs.size(), failing, seconds);
    for (int f : shown) {
      List<Double> vs = new ArrayList<>();
      for (SimCommand.SeedRun r : runs) {
        Double v = value(r, f);
        if (v != null) vs.add(v);
      }
      Collections.sort(vs);
      String extra = FIGURES[f][1].startsWith("availability")
          ? String.format(Locale.ROOT, "  min %s", Targets.fmt(round(vs.get(0)))) : "";
      out.printf(Locale.ROOT, "  %-32s median %s  p95 %s  max %s%s%n", FIGURES[f][1], Targets.fmt(round(quantile(vs, 0.5))),
          Targets.fmt(round(quantile(vs, 0.95))), Targets.fmt(round(vs.get(vs.size() - 1))), extra);
    }
    if (failing > 0) {
      out.println();
      out.println("Replay a failing seed:");
      for (SimCommand.SeedRun r : runs) {
        if (r.failed()) out.println("  " + verdict(r) + "  " + replay.apply(r.seed()));
      }
    }
  }

  private static String verdict(SimCommand.SeedRun r) {
    if (r.results() == null) return "crash";
    return String.valueOf(r.results().get("valid?"));
  }

  private static Double value(SimCommand.SeedRun r, int f) {
    if (r.results() == null) return null;
    return Targets.lookup(r.results(), FIGURES[f][1]) instanceof Number n ? n.doubleValue() : null;
  }

  /**
   * The distribution's medians as a results-shaped map ({@code valid?} true iff every seed passed, each
   * figure under its results path), so that run.sh checks a catalogue row's targets against it.
   */
  static java.util.Map<String, Object> medians(List<SimCommand.SeedRun> runs) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("valid?", runs.stream().noneMatch(SimCommand.SeedRun::failed));
    m.put("seeds", runs.size());
    m.put("failing", runs.stream().filter(SimCommand.SeedRun::failed).count());
    for (int f = 0; f < FIGURES.length; f++) {
      List<Double> vs = new ArrayList<>();
      for (SimCommand.SeedRun r : runs) {
        Double v = value(r, f);
        if (v != null) vs.add(v);
      }
      if (vs.isEmpty()) continue;
      Collections.sort(vs);
      put(m, FIGURES[f][1], quantile(vs, 0.5));
    }
    return m;
  }

  /**
   * What {@code seeds.json} holds: one row per seed (seed, verdict, exit code, each figure under its column header,
   * wall seconds, and the replay command of a failing seed), then the medians as {@link #medians} gives them.
   */
  static java.util.Map<String, Object> summary(List<SimCommand.SeedRun> runs, LongFunction<String> replay) {
    List<java.util.Map<String, Object>> rows = new ArrayList<>();
    for (SimCommand.SeedRun r : runs) {
      java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("seed", r.seed());
      row.put("valid?", r.results() == null ? "crash" : r.results().get("valid?"));
      row.put("exit", r.exit());
      for (int f = 0; f < FIGURES.length; f++) {
        Double v = value(r, f);
        if (v != null) row.put(FIGURES[f][0], round(v));
      }
      row.put("wall-s", round(r.wallSeconds()));
      if (r.failed()) row.put("replay", replay.apply(r.seed()));
      rows.add(row);
    }
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("seeds", rows);
    m.put("medians", medians(runs));
    return m;
  }

  /** Puts {@code v} at a dotted results path; a trailing quantile such as {@code 0.5} stays one key. */
  @SuppressWarnings("unchecked")
  private static void put(java.util.Map<String, Object> m, String path, double v) {
    String[] parts = path.split("(?<![0-9])\\.|\\.(?![0-9])", -1);
    java.util.Map<String, Object> at = m;
    for (int i = 0; i < parts.length - 1; i++) {
      at = (java.util.Map<String, Object>) at.computeIfAbsent(parts[i], k -> new java.util.LinkedHashMap<String, Object>());
    }
    at.put(parts[parts.length - 1], v);
  }

  /** Nearest-rank quantile of a sorted list. */
  static double quantile(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Shell-quotes arguments that need it. */
  static List<String> quote(List<String> args) {
    List<String> q = new ArrayList<>();
    for (String a : args) q.add(a.matches("[A-Za-z0-9_./=:,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    return q;
  }
}
