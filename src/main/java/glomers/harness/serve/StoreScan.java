package glomers.harness.serve;

import glomers.harness.results.Results;
import glomers.harness.serve.StoredRun.Figures;
import glomers.harness.serve.StoredRun.Status;
import glomers.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the runs of a store and reads what the index shows of each, from the files a run leaves
 * ({@code test.json}, {@code results.json}, {@code crash.txt}; layout in {@link Results}). Cheap by design: it never
 * reads a history or a journal, so the index of a store of hundreds of runs is built on every request.
 *
 * <p>A run directory is any directory holding one of those files or a {@code history.jsonl}, found up to four levels
 * below the store without following symbolic links ({@code store/latest} is a link to a run already listed). Runs
 * directly under {@code <store>/<workload>/} stand alone; runs one level deeper share their parent directory as a
 * group: a set of runs written together shows as one. {@code sim --seeds} writes such a group,
 * {@code <workload>/<time>-seeds/<seed>/}, with the per-seed table in {@code seeds.json} ({@link #groups}); a grouped
 * run whose own directory name is not a time takes its start from the group's name.
 */
public final class StoreScan {
  /** A run without results whose directory changed this recently is taken as still running. */
  static final Duration RUNNING_QUIET = Duration.ofSeconds(60);

  private static final List<String> MARKERS = List.of("test.json", "results.json", "crash.txt", "history.jsonl");
  private static final List<String> FILE_ORDER = List.of("report.html", "results.json", "history.jsonl",
      "net-journal.jsonl", "test.json", "crash.txt", "diagnostics.txt");

  private StoreScan() {}

  /** Every run under {@code store}, newest first; {@code now} decides which runs without results still run. */
  public static List<StoredRun> scan(Path store, Instant now) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(store, 4)) {
      s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isRun(p)).forEach(dirs::add);
    }
    dirs.removeIf(d -> dirs.stream().anyMatch(o -> !o.equals(d) && d.startsWith(o))); // a run's own subdirectories
    List<StoredRun> runs = new ArrayList<>();
    for (Path d : dirs) runs.add(read(store, d, now));
    runs.sort(Comparator.comparing(StoredRun::start).reversed().thenComparing(r -> r.group() == null ? "" : r.group())
        .thenComparing(StoreScan::seedOrder).thenComparing(StoredRun::path));
    return runs;
  }

  /** What a group's {@code seeds.json} says: how many seeds ran, which failed, and the file's store path. */
  public record SeedGroup(int seeds, List<Long> failing, String summaryPath) {}

  /** The groups of {@code runs} that hold a {@code seeds.json} (a {@code sim --seeds} run), by group path. */
  public static Map<String, SeedGroup> groups(Path store, List<StoredRun> runs) {
    Map<String, SeedGroup> out = new java.util.LinkedHashMap<>();
    for (StoredRun r : runs) {
      if (r.group() == null || out.containsKey(r.group())) continue;
      Map<String, Object> summary = readJson(store.resolve(r.group()).resolve("seeds.json"));
      if (summary == null || !(summary.get("seeds") instanceof List<?> rows)) continue;
      List<Long> failing = new ArrayList<>();
      for (Object row : rows) {
        if (row instanceof Map<?, ?> m && m.get("exit") instanceof Number e && e.intValue() != 0
            && m.get("seed") instanceof Number seed) {
          failing.add(seed.longValue());
        }
      }
      out.put(r.group(), new SeedGroup(rows.size(), failing, r.group() + "/seeds.json"));
    }
    return out;
  }

  private static boolean isRun(Path dir) {
    for (String m : MARKERS) if (Files.isRegularFile(dir.resolve(m), LinkOption.NOFOLLOW_LINKS)) return true;
    return false;
  }

  /** A grouped run named by a number (a seed) sorts by that number, so seed 10 follows seed 9. */
  private static long seedOrder(StoredRun r) {
    String name = r.path().substring(r.path().lastIndexOf('/') + 1);
    return r.group() != null && name.matches("-?[0-9]{1,18}") ? Long.parseLong(name) : Long.MIN_VALUE;
  }

  static StoredRun read(Path store, Path dir, Instant now) throws IOException {
    Path rel = store.relativize(dir);
    String path = rel.toString().replace('\\', '/');
    String group = rel.getNameCount() > 2 ? rel.getParent().toString().replace('\\', '/') : null;
    Map<String, Object> test = readJson(dir.resolve("test.json"));
    LocalDateTime start = Results.startTime(dir.getFileName().toString());
    if (start == null && group != null) start = Results.startTime(rel.getParent().getFileName().toString().replaceFirst("-seeds$", ""));
    if (start == null) start = LocalDateTime.ofInstant(Files.getLastModifiedTime(dir).toInstant(), ZoneId.systemDefault());
    String workload = test != null && test.get("workload") instanceof String w ? w
        : rel.getNameCount() > 1 ? rel.getName(0).toString() : "?";
    Integer nodeCount = test != null && test.get("node-count") instanceof Number n ? n.intValue() : null;

    Status status;
    String note = null;
    Figures figures = Figures.NONE;
    Path end = null;
    Path resultsFile = dir.resolve("results.json");
    Path crash = dir.resolve("crash.txt");
    if (Files.isRegularFile(resultsFile)) {
      end = resultsFile;
      Map<String, Object> results = readJson(resultsFile);
      if (results == null) {
        status = Status.INCOMPLETE;
        note = "results.json unreadable";
      } else {
        status = verdict(results.get("valid?"));
        figures = figures(results);
      }
    } else if (Files.isRegularFile(crash)) {
      end = crash;
      status = Status.CRASHED;
      note = firstLine(Files.readString(crash));
    } else if (Duration.between(lastChange(dir), now).compareTo(RUNNING_QUIET) < 0) {
      status = Status.RUNNING;
      note = progress(start, test, now);
    } else {
      status = Status.INCOMPLETE;
      note = "no results.json: the run was stopped before its analysis";
    }
    Double duration = end == null ? null
        : Math.max(0, Duration.between(start.atZone(ZoneId.systemDefault()).toInstant(),
            Files.getLastModifiedTime(end).toInstant()).toMillis() / 1000.0);
    return new StoredRun(path, group, workload, start, nodeCount, flags(test), status, note, figures, duration,
        files(dir));
  }

  private static Status verdict(Object valid) {
    if (Boolean.TRUE.equals(valid)) return Status.VALID;
    if (Boolean.FALSE.equals(valid)) return Status.INVALID;
    return Status.UNKNOWN;
  }

  private static Figures figures(Map<String, Object> r) {
    Long ops = get(r, "stats", "count") instanceof Number n ? n.longValue() : null;
    return new Figures(ops, num(get(r, "availability", "ok-fraction")), num(get(r, "net", "servers", "msgs-per-op")),
        num(get(r, "workload", "stable-latencies", "0.5")), num(get(r, "workload", "stable-latencies", "1")));
  }

  private static Object get(Map<String, Object> m, String... keys) {
    Object o = m;
    for (String k : keys) o = o instanceof Map<?, ?> mm ? mm.get(k) : null;
    return o;
  }

  private static Double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  /** The options a person varies between runs, as the flags that set them; defaults left out. */
  static String flags(Map<String, Object> test) {
    if (test == null) return "";
    StringBuilder sb = new StringBuilder();
    flag(sb, test, "node-count", null);
    flag(sb, test, "concurrency", null);
    flag(sb, test, "rate", null);
    flag(sb, test, "time-limit", null);
    flag(sb, test, "latency", 0);
    flag(sb, test, "latency-dist", "constant");
    if (test.get("nemesis") instanceof List<?> n && !n.isEmpty()) sb.append(" --nemesis ").append(String.join(",", n.stream().map(String::valueOf).toList()));
    if ("broadcast".equals(test.get("workload"))) flag(sb, test, "topology", "grid");
    if (String.valueOf(test.get("workload")).startsWith("txn-") && test.get("consistency-models") instanceof List<?> c) {
      sb.append(" --consistency-models ").append(String.join(",", c.stream().map(String::valueOf).toList()));
    }
    flag(sb, test, "availability", null);
    flag(sb, test, "key-count", null);
    if (Boolean.TRUE.equals(test.get("strict"))) sb.append(" --strict");
    flag(sb, test, "seed", null);
    if (test.get("node-args") instanceof List<?> a && !a.isEmpty()) {
      sb.append(' ').append(String.join(" ", a.stream().map(String::valueOf).toList()));
    }
    return sb.toString().strip();
  }

  private static void flag(StringBuilder sb, Map<String, Object> test, String key, Object dflt) {
    Object v = test.get(key);
    if (v == null) return;
    String s = v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(v);
    if (dflt != null && s.equals(String.valueOf(dflt))) return;
    sb.append(" --").append(key).append(' ').append(s);
  }

  private static String progress(LocalDateTime start, Map<String, Object> test, Instant now) {
    long elapsed = Math.max(0, Duration.between(start.atZone(ZoneId.systemDefault()).toInstant(), now).toSeconds());
    String of = test != null && test.get("time-limit") instanceof Number t ? " of " + Math.round(t.doubleValue()) + " s" : "";
    return elapsed + " s" + of;
  }

  private static Instant lastChange(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.map(p -> {
        try {
          return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
          return Instant.EPOCH;
        }
      }).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    }
  }

  /** The run's files, in the order a reader wants them, then node logs and anything else. */
  private static List<String> files(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (String f : FILE_ORDER) if (Files.isRegularFile(dir.resolve(f))) out.add(f);
    try (Stream<Path> s = Files.walk(dir, 2)) {
      s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(f -> !out.contains(f)).sorted(Comparator.comparing((String f) -> !f.startsWith("node-logs/"))
              .thenComparing(Comparator.naturalOrder()))
          .forEach(out::add);
    }
    return out;
  }

  private static Map<String, Object> readJson(Path file) {
    if (!Files.isRegularFile(file)) return null;
    try {
      return Json.parseMap(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
