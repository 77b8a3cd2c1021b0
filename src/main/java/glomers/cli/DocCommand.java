package glomers.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code doc}: Maelstrom's {@code doc}, what a node author needs of a workload, printed from the project's own
 * docs/maelstrom.md and README.md's index (both packaged into the jar by {@code mvn package}, so the text exists
 * once): its row of the workloads table, the challenges that use it and their write-up, its checker, the error codes
 * and the services a node may call.
 */
@Command(
    name = "doc",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a workload's RPCs, checker, error codes and services (from docs/maelstrom.md);",
      "with no WORKLOAD, the workloads with one line each."
    })
public final class DocCommand implements Callable<Integer> {
  private static final String DOC = "docs/maelstrom.md";

  @Parameters(arity = "0..1", paramLabel = "WORKLOAD", description = "A workload, e.g. broadcast.")
  String workload;

  /** One row of the workloads table: its column headers → cells. */
  record Row(String names, Map<String, String> cells) {}

  @Override
  public Integer call() throws IOException {
    String md = text("maelstrom.md");
    Map<String, Row> rows = workloads(md);
    if (workload == null) {
      System.out.println("Workloads (" + DOC + "#workloads); `launcher doc NAME` for one:");
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        System.out.printf("  %-16s %s%n", e.getKey(), plain(e.getValue().cells().values().iterator().next()));
      }
      return 0;
    }
    Row row = rows.get(workload);
    if (row == null) {
      System.err.println("doc: unknown workload '" + workload + "'; workloads: " + String.join(" ", rows.keySet()));
      return Cli.USAGE;
    }
    System.out.println(workload + "  (" + DOC + "#workloads)");
    for (Map.Entry<String, String> c : row.cells().entrySet()) {
      System.out.println("  " + plain(c.getKey()) + ": " + plain(c.getValue()));
    }
    for (String challenge : challenges(text("README.md"), workload)) System.out.println("  " + challenge);
    String rpcs = rpcHeading(md, workload);
    if (rpcs != null) print(md, rpcs);
    String checker = row.cells().getOrDefault("Checker", "");
    String heading = findHeading(md, workload, checker.split(" ")[0]);
    if (heading != null) print(md, heading);
    print(md, "Errors");
    System.out.println("Services any node may call (lin-kv, seq-kv, lww-kv, lin-tso):");
    print(md, "KV API");
    print(md, "Consistency of the services");
    print(md, "Bodies, RPC and init");
    return 0;
  }

  /** A packaged document: {@code maelstrom.md} (docs/) or {@code README.md}. */
  static String text(String name) throws IOException {
    String resource = "/glomers/docs/" + name;
    try (InputStream in = DocCommand.class.getResourceAsStream(resource)) {
      if (in == null) throw new IOException(name + " is not packaged in this build (" + resource + ")");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * From README's table of challenges: {@code Challenge: 3a Single-node broadcast … · write-up docs/broadcast.md}, for
   * the rows whose workload column names {@code workload}.
   */
  static List<String> challenges(String readme, String workload) {
    List<String> names = new ArrayList<>();
    String writeUp = null;
    List<String> header = null;
    for (String line : section(readme, "Challenges and workloads").lines().toList()) {
      if (!line.startsWith("|")) continue;
      List<String> cells = cells(line);
      if (header == null) {
        header = cells;
        continue;
      }
      if (cells.get(0).startsWith("---") || cells.size() < header.size()) continue;
      String w = cells.get(header.indexOf("Workload (`-w`)"));
      if (!w.split(" ")[0].equals(workload)) continue;
      names.add(plainText(cells.get(0)));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\]\\((docs/[^)]+)\\)").matcher(cells.get(header.indexOf("Write-up")));
      if (m.find()) writeUp = m.group(1);
    }
    List<String> out = new ArrayList<>();
    if (!names.isEmpty()) out.add("Challenges (README.md#challenges-and-workloads): " + String.join("; ", names));
    if (writeUp != null) out.add("Write-up: " + writeUp);
    return out;
  }

  /** The workloads table of the {@code ### Workloads} section, one entry per workload name. */
  static Map<String, Row> workloads(String md) {
    Map<String, Row> out = new LinkedHashMap<>();
    List<String> header = null;
    for (String line : section(md, "Workloads").lines().toList()) {
      if (!line.startsWith("|")) {
        if (header != null) break;
        continue;
      }
      List<String> cells = cells(line);
      if (header == null) {
        header = cells;
        continue;
      }
      if (cells.get(0).startsWith("---")) continue;
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 1; i < cells.size() && i < header.size(); i++) m.put(header.get(i), cells.get(i));
      for (String name : cells.get(0).split(",\\s*")) out.put(name.strip(), new Row(cells.get(0), m));
    }
    return out;
  }

  private static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    String s = line.strip();
    s = s.substring(1, s.endsWith("|") ? s.length() - 1 : s.length());
    for (String c : s.split("\\|")) out.add(c.strip());
    return out;
  }

  /** The body of the section under heading {@code title}, up to the next heading of the same or a higher level. */
  static String section(String md, String title) {
    List<String> lines = md.lines().toList();
    StringBuilder sb = new StringBuilder();
    int level = -1;
    for (String line : lines) {
      int l = headingLevel(line);
      if (level < 0) {
        if (l > 0 && line.substring(l).strip().equals(title)) level = l;
        continue;
      }
      if (l > 0 && l <= level) break;
      sb.append(line).append('\n');
    }
    return sb.toString().strip();
  }

  /** The first heading (level 3 or 4) that contains {@code key}, e.g. the checker section of a workload. */
  private static String findHeading(String md, String... keys) {
    for (String key : keys) {
      if (key.isBlank()) continue;
      for (String line : md.lines().toList()) {
        int l = headingLevel(line);
        if (l >= 3 && !line.endsWith(" RPCs") && line.toLowerCase(Locale.ROOT).contains(key.toLowerCase(Locale.ROOT))) {
          return line.substring(l).strip();
        }
      }
    }
    return null;
  }

  /** The {@code #### … RPCs} heading naming {@code workload}. */
  private static String rpcHeading(String md, String workload) {
    String suffix = "RPCs";
    for (String line : md.lines().toList()) {
      int l = headingLevel(line);
      if (l == 4 && line.endsWith(" " + suffix)
          && java.util.Arrays.asList(line.substring(l, line.length() - suffix.length()).strip().split(" and ")).contains(workload)) {
        return line.substring(l).strip();
      }
    }
    return null;
  }

  private static int headingLevel(String line) {
    int l = 0;
    while (l < line.length() && line.charAt(l) == '#') l++;
    return l > 0 && l < line.length() && line.charAt(l) == ' ' ? l : 0;
  }

  private static void print(String md, String heading) {
    System.out.println();
    System.out.println("## " + heading + "  (" + DOC + "#" + anchor(heading) + ")");
    for (String line : section(md, heading).lines().toList()) System.out.println("  " + plain(line));
  }

  /** GitHub's anchor of a heading. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
  }

  /** Markdown links reduced to their text. */
  private static String plainText(String s) {
    return s.replaceAll("\\[([^\\]]+)\\]\\([^)]+\\)", "$1");
  }

  /** Markdown links shown as their text and address, the rest as written. */
  static String plain(String s) {
    return s.replaceAll("\\[([^\\]]+)\\]\\((https?://[^)]+)\\)", "$1 <$2>");
  }
}
