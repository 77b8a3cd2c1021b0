package glomers.harness.report;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
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
    info.put("run dir", dir.toString());

    Map<String, Object> results = Map.of();
    Path resultsFile = dir.resolve("results.json");
    if (Files.isRegularFile(resultsFile)) {
      try {
        results = Json.parseMap(Files.readString(resultsFile));
      } catch (IOException | RuntimeException e) {
        warnings.add("results.json unreadable: " + e.getMessage());
      }
    } else {
      warnings.add("no results.json (the run was aborted or is still running)");
    }

    Map<String, Object> test = Map.of();
    Path testFile = dir.resolve("test.json");
    if (Files.isRegularFile(testFile)) {
      try {
        test = Json.parseMap(Files.readString(testFile));
      } catch (IOException | RuntimeException e) {
        warnings.add("test.json unreadable: " + e.getMessage());
      }
    }

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
    for (String k : List.of("command", "argv", "seed", "start-time")) {
      if (test.containsKey(k)) info.put(k, test.get(k));
    }
    if (!warnings.isEmpty()) info.put("warnings", warnings);
    return new RunData(workload, results, new History(ops), messages, nodeIds, info);
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
  @SuppressWarnings("unchecked")
  static Op opFromMap(Map<String, Object> m) {
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
   * Pairs journal events into messages. An event is one JSON object per line with a time in nanoseconds
   * ({@code time}), a kind ({@code type} or {@code event}: {@code send}/{@code recv}) and the message, either nested
   * ({@code message: {id, src, dest, body}}) or flat ({@code id, src, dest, body} or {@code msg-type}).
   */
  static List<NetMessage> readJournal(Path file, List<String> warnings) throws IOException {
    Map<Long, long[]> times = new HashMap<>();
    Map<Long, String[]> meta = new LinkedHashMap<>();
    int bad = 0;
    long synthetic = -1;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) continue;
        try {
          Map<String, Object> e = Json.parseMap(line);
          Object kind = e.containsKey("event") ? e.get("event") : e.get("type");
          Map<String, Object> msg = e.get("message") instanceof Map<?, ?> mm ? cast(mm) : e;
          Object idObj = msg.containsKey("id") ? msg.get("id") : e.get("id");
          long id = idObj instanceof Number n ? n.longValue() : synthetic--;
          long t = ((Number) e.get("time")).longValue();
          String src = String.valueOf(msg.get("src"));
          String dest = String.valueOf(msg.get("dest"));
          String type = "?";
          if (msg.get("body") instanceof Map<?, ?> body && body.get("type") != null) type = String.valueOf(body.get("type"));
          else if (e.get("msg-type") != null) type = String.valueOf(e.get("msg-type"));
          else if (msg.get("msg-type") != null) type = String.valueOf(msg.get("msg-type"));
          long[] ts = times.computeIfAbsent(id, k -> new long[] {-1, -1});
          meta.putIfAbsent(id, new String[] {src, dest, type});
          String k = String.valueOf(kind).replace(":", "");
          if (k.equals("send")) ts[0] = t;
          else if (k.equals("recv") || k.equals("receive")) ts[1] = t;
          else bad++;
        } catch (IOException | RuntimeException ex) {
          bad++;
        }
      }
    }
    if (bad > 0) warnings.add(bad + " unreadable journal lines skipped");
    List<NetMessage> out = new ArrayList<>(meta.size());
    for (Map.Entry<Long, String[]> en : meta.entrySet()) {
      long[] ts = times.get(en.getKey());
      String[] md = en.getValue();
      long send = ts[0] >= 0 ? ts[0] : ts[1];
      out.add(new NetMessage(en.getKey(), md[0], md[1], md[2], send, ts[1]));
    }
    out.sort((a, b) -> Long.compare(a.sendNanos(), b.sendNanos()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
