package glomers.harness.report;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import glomers.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a finished run back from its store directory ({@code store/<workload>/<timestamp>/}): {@code results.json},
 * {@code history.jsonl} and the network journal (any {@code *journal*.jsonl} file in the directory or one level
 * below). Tolerant by design: a report of a half-written or aborted run is exactly when people need one, so missing
 * or unreadable parts become empty and are listed in {@link RunData#info()} under {@code "warnings"}.
 */
public final class RunReader {
  private RunReader() {}

  public static RunData read(Path runDir) throws IOException {
    Path dir = runDir.toRealPath();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("run dir", relativeToWorkingDir(dir).toString());

    Path crash = dir.resolve("crash.txt");
    if (Files.isRegularFile(crash)) info.put("crash", Files.readString(crash).strip());
    Path diagnostics = dir.resolve("diagnostics.txt");
    if (Files.isRegularFile(diagnostics)) info.put("diagnostics", Files.readAllLines(diagnostics));

    Path resultsFile = dir.resolve("results.json");
    Map<String, Object> results = readMapIfPresent(resultsFile, warnings);
    if (!Files.isRegularFile(resultsFile) && !Files.isRegularFile(crash)) {
      warnings.add("no results.json (the run was aborted or is still running)");
    }
    Map<String, Object> test = readMapIfPresent(dir.resolve("test.json"), warnings);

    List<Op> ops = new ArrayList<>();
    Path historyFile = dir.resolve("history.jsonl");
    if (Files.isRegularFile(historyFile)) {
      int bad = 0;
      try (BufferedReader r = Files.newBufferedReader(historyFile, StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isBlank()) continue;
          try {
            ops.add(opFromMap(Json.parseMap(line)));
          } catch (IOException | RuntimeException e) {
            bad++;
          }
        }
      }
      if (bad > 0) warnings.add(bad + " unreadable history lines skipped");
    } else {
      warnings.add("no history.jsonl");
    }

    List<NetMessage> messages = List.of();
    Path journal = findJournal(dir);
    if (journal != null) {
      messages = readJournal(journal, warnings);
    } else {
      warnings.add("no network journal (*journal*.jsonl)");
    }

    String workload = firstString(test.get("workload"), results.get("workload-name"));
    if (workload == null && dir.getParent() != null) workload = dir.getParent().getFileName().toString();
    List<String> nodeIds = new ArrayList<>();
    if (test.get("nodes") instanceof List<?> l) for (Object o : l) nodeIds.add(String.valueOf(o));
    for (String k : List.of("command", "seed", "node-count", "concurrency", "rate", "time-limit", "latency", "nemesis", "topology", "node-args")) {
      if (test.containsKey(k)) info.put(k, test.get(k));
    }
    if (!warnings.isEmpty()) info.put("warnings", warnings);
    return new RunData(workload, results, new History(ops), messages, nodeIds, info);
  }

  /**
   * {@code dir} as seen from the working directory ({@code store/echo/…}, or {@code ../…} outside it), so that a
   * report, its screenshots and anything copied from them name no directory of the machine that made them.
   */
  static Path relativeToWorkingDir(Path dir) {
    try {
      Path cwd = Path.of("").toRealPath();
      Path rel = cwd.relativize(dir);
      return rel.toString().isEmpty() ? Path.of(".") : rel;
    } catch (IOException | IllegalArgumentException e) {
      return dir.getFileName() == null ? dir : dir.getFileName(); // another file system root: the name alone
    }
  }

  /** The JSON object in {@code file}: empty if there is no such file, or (with a warning) if it is unreadable. */
  private static Map<String, Object> readMapIfPresent(Path file, List<String> warnings) {
    if (!Files.isRegularFile(file)) return Map.of();
    try {
      return Json.parseMap(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      warnings.add(file.getFileName() + " unreadable: " + e.getMessage());
      return Map.of();
    }
  }

  private static String firstString(Object... xs) {
    for (Object x : xs) if (x instanceof String s && !s.isEmpty()) return s;
    return null;
  }

  static Path findJournal(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.contains("journal") && (n.endsWith(".jsonl") || n.endsWith(".json"));
          })
          .sorted()
          .findFirst()
          .orElse(null);
    }
  }

  /** An op from its {@link Op#toMap()} form (the history.jsonl line format). */
  public static Op opFromMap(Map<String, Object> m) {
    Map<String, Object> extra = new LinkedHashMap<>(m);
    for (String k : List.of("index", "time", "type", "process", "f", "value", "error", "exception", "final?")) {
      extra.remove(k);
    }
    Object p = m.get("process");
    long process = p instanceof Number n ? n.longValue() : Op.NEMESIS;
    Object f = m.get("f");
    Object ex = m.get("exception");
    return new Op(
        m.get("index") instanceof Number n ? n.intValue() : -1,
        m.get("time") instanceof Number n ? n.longValue() : 0,
        OpType.parse(String.valueOf(m.get("type"))),
        process,
        f == null ? null : String.valueOf(f),
        m.get("value"),
        m.get("error"),
        ex == null ? null : ex instanceof String s ? s : Json.write(ex),
        Boolean.TRUE.equals(m.get("final?")),
        extra);
  }

  /**
   * Pairs journal events into messages. The harness writes one compact object per event,
   * {@code {"t":ms,"ev":"send|recv|drop","id":…,"src":…,"dest":…,"type":…}} with {@code t} in milliseconds since
   * the harness's origin; an {@code {"ev":"origin","shift":ms}} line says the origin moved to the history's (main
   * phase start), and everything before it is re-based, so setup traffic ends up at negative times. Also accepted: {@code time} in nanoseconds and
   * {@code event} for the kind. Parsed with Jackson's streaming parser: a 20 s run at rate 1000 journals hundreds of
   * thousands of events, and building a map per line would be most of the report's time.
   */
  static List<NetMessage> readJournal(Path file, List<String> warnings) throws IOException {
    Map<Long, long[]> times = new HashMap<>();
    Map<Long, String[]> meta = new LinkedHashMap<>();
    int bad = 0;
    long synthetic = -1;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        JsonParser p = Json.MAPPER.getFactory().createParser(r)) {
      while (true) {
        JsonToken tok;
        try {
          tok = p.nextToken();
        } catch (IOException e) {
          bad++;
          break; // a torn last line (killed run): keep what was read
        }
        if (tok == null) break;
        if (tok != JsonToken.START_OBJECT) {
          bad++;
          p.skipChildren();
          continue;
        }
        long t = Long.MIN_VALUE;
        long shift = 0;
        long id = Long.MIN_VALUE;
        String ev = null, src = null, dest = null, type = null, typeOrEv = null;
        try {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
              case "t" -> t = Math.round(p.getDoubleValue() * 1_000_000);
              case "time" -> t = p.getLongValue();
              case "ev", "event" -> ev = p.getText();
              case "id" -> id = v.isNumeric() ? p.getLongValue() : Long.MIN_VALUE;
              case "src" -> src = p.getText();
              case "dest" -> dest = p.getText();
              case "type" -> typeOrEv = p.getText();
              case "msg-type" -> type = p.getText();
              case "shift" -> shift = Math.round(p.getDoubleValue() * 1_000_000);
              default -> p.skipChildren();
            }
          }
        } catch (IOException | RuntimeException e) {
          bad++;
          break;
        }
        // without "ev", "type" is the event kind (Maelstrom's journal), otherwise the body's type
        if (ev == null) ev = typeOrEv;
        else if (type == null) type = typeOrEv;
        if ("origin".equals(ev)) {
          // the clock's origin moved forward by `shift` (setup → main phase): re-base everything read so far
          for (long[] ts : times.values()) {
            if (ts[0] != Long.MIN_VALUE) ts[0] -= shift;
            if (ts[1] != Long.MIN_VALUE) ts[1] -= shift;
          }
          continue;
        }
        if (ev == null || t == Long.MIN_VALUE) {
          bad++;
          continue;
        }
        if (id == Long.MIN_VALUE) id = synthetic--;
        long[] ts = times.computeIfAbsent(id, k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
        meta.putIfAbsent(id, new String[] {src, dest, type == null ? "?" : type});
        switch (ev.replace(":", "")) {
          case "send", "dup" -> ts[0] = t; // a dup is the duplicate nemesis's copy, sent by the network
          case "recv", "receive" -> ts[1] = t;
          case "drop" -> { } // undelivered: no receive time
          default -> bad++;
        }
      }
    }
    if (bad > 0) warnings.add(bad + " unreadable journal events skipped");
    List<NetMessage> out = new ArrayList<>(meta.size());
    for (Map.Entry<Long, String[]> en : meta.entrySet()) {
      long[] ts = times.get(en.getKey());
      String[] md = en.getValue();
      long send = ts[0] != Long.MIN_VALUE ? ts[0] : ts[1];
      if (send == Long.MIN_VALUE) continue;
      long recv = ts[1];
      out.add(new NetMessage(en.getKey(), md[0], md[1], md[2], send, recv));
    }
    out.sort((a, b) -> Long.compare(a.sendNanos(), b.sendNanos()));
    return out;
  }

}
