package glomers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository stands on its own: everything a clone's code, tests and docs cite can be opened from the
 * clone or from a public URL. The scan fails on
 *
 * <ul>
 *   <li>the names of the private spec files this project was written from (they are not in the repository)
 *       and paths into a sibling {@code shared} directory — anywhere outside a URL;
 *   <li>absolute paths of the machine a file was written on (under the root directories {@code work},
 *       {@code root}, {@code tmp}, {@code home}, {@code Users}) — a reader's machine has none of them;
 *   <li>a citation {@code docs/<page>.md#anchor} in any file whose page or heading does not exist;
 *   <li>a relative markdown link in a {@code .md} file that resolves to no file or directory inside the
 *       repository, or whose {@code #anchor} names no heading of the target page.
 * </ul>
 *
 * Anchors are computed as GitHub renders headings (lower case, punctuation dropped, spaces to hyphens,
 * {@code -1}, {@code -2} … for repeated headings), so a link that passes here also works on GitHub.
 */
class RepositorySelfContainedTest {
  /** What a clone publishes: sources, tests, docs and the scripts a user runs. */
  private static final List<String> SCANNED = List.of("src", "docs", "maelstrom-tests", ".github", ".ci", "README.md", "run.sh", "pom.xml");

  @Test
  void theRepositoryCitesNothingOutsideItself() {
    Path root = Path.of("").toAbsolutePath();
    assertTrue(Files.isRegularFile(root.resolve("pom.xml")), "run from the project directory, not " + root);
    List<String> violations = scan(root);
    assertEquals(List.of(), violations, "citations a clone cannot open:\n" + String.join("\n", violations));
  }

  /** README's index of challenges names every catalogue row, so no test of the catalogue is unlisted. */
  @Test
  void theReadmeIndexListsEveryCatalogueRow() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    String readme = Files.readString(root.resolve("README.md"));
    int start = readme.indexOf("\n## Challenges and workloads");
    assertTrue(start >= 0, "README has a section \"Challenges and workloads\"");
    int end = readme.indexOf("\n## ", start + 1);
    String index = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> missing = new ArrayList<>();
    for (String line : Files.readAllLines(root.resolve("maelstrom-tests/catalogue.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String id = line.split("\t", 2)[0];
      if (!index.contains("`" + id + "`")) missing.add(id);
    }
    assertEquals(List.of(), missing, "catalogue rows missing from README's index");
  }

  /**
   * A planted tree with one of every violation, each reported with its file and line; the clean files next
   * to them are not. The bad strings are assembled from pieces so that this file itself passes the scan.
   */
  @Test
  void theScanReportsEveryKindOfOutsideCitation(@TempDir Path root) throws IOException {
    write(root, DOCS + "good.md", "# Good page\n\n## Wire format (v1)\n\nSee [the other](other.md#a-b) and [top](#good-page).\n");
    write(root, DOCS + "other.md", "# Other\n\n## A, b\n\n```\n[not a link](missing.md)\n```\n");
    write(root, "README.md", String.join("\n",
        "# Readme",
        "[ok](" + DOCS + "good.md#wire-format-v1), [dir](" + DOCS + "), [url](https://example.org/x/" + "tmp/y)",
        "[gone](" + DOCS + "missing.md)",
        "[bad anchor](" + DOCS + "good.md#no-such-heading)",
        "[escapes](../outside.md)",
        "[own bad anchor](#nowhere)",
        ""));
    write(root, "src/main/java/A.java", String.join("\n",
        "/** Rule from protocol" + ".md §2, see " + DOCS + "good.md#wire-format-v1. */",
        "// copied from ../" + "shared/notes.txt",
        "// logs in /" + "work/run/1",
        "// see " + DOCS + "good.md#missing-anchor and " + DOCS + "nowhere.md",
        "// fine: https://github.com/jepsen-io/maelstrom/blob/v0.2.3/doc/protocol" + ".md",
        ""));
    write(root, "maelstrom-tests/bench.sh", "out=/" + "tmp/x\n");

    List<String> v = scan(root);

    assertEquals(List.of(
        "README.md:3: link to a missing file: " + DOCS + "missing.md",
        "README.md:4: link to a missing heading: " + DOCS + "good.md#no-such-heading",
        "README.md:5: link outside the repository: ../outside.md",
        "README.md:6: link to a missing heading: #nowhere",
        "maelstrom-tests/bench.sh:1: absolute machine path: /" + "tmp/",
        "src/main/java/A.java:1: cites a file outside the repository: protocol" + ".md",
        "src/main/java/A.java:2: cites a file outside the repository: ../" + "shared",
        "src/main/java/A.java:3: absolute machine path: /" + "work/",
        "src/main/java/A.java:4: cites a missing heading: " + DOCS + "good.md#missing-anchor",
        "src/main/java/A.java:4: cites a missing file: " + DOCS + "nowhere.md"), v);
  }

  /** Kept apart from the page names so that the planted citations above do not count against this file. */
  private static final String DOCS = "docs" + "/";

  @Test
  void anchorsAreGitHubs() {
    assertEquals("cli-glomersclitestcommand", slug("CLI (`glomers.cli.TestCommand`)"));
    assertEquals("broadcast-3a3e", slug("Broadcast (3a–3e)"));
    assertEquals("set-full-broadcast-g-set", slug("set-full (broadcast, g-set)"));
    assertEquals("the-latency-end", slug("The [latency](x.md) end"));
    assertEquals("snake_case-kept", slug("snake_case kept"));
  }

  // ---- the scanner -------------------------------------------------------------------------------

  private static final Pattern OUTSIDE_FILE = Pattern.compile(
      "(?<![\\w-])(?:protocol|workloads|harness-notes|challenges|design)\\.md\\b|\\.\\./shared\\b|shared[/]spec\\b");
  private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.~-])/(?:work|root|tmp|home|Users)/");
  private static final Pattern URL = Pattern.compile("\\b(?:https?|file)://[^\\s)>\"'`]+");
  /** A markdown link whose target is a URL: its label may name Maelstrom's own files. */
  private static final Pattern URL_LINK = Pattern.compile("\\[[^\\]]*\\]\\((?:https?|mailto):[^)]*\\)");
  private static final Pattern DOCS_CITATION = Pattern.compile("(?<![\\w/.-])docs/([\\w.-]+\\.md)(#[\\w-]+)?");
  private static final Pattern MD_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern MD_REF = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s+(\\S+)");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
  private static final Set<String> BINARY = Set.of("png", "jpg", "jpeg", "gif", "ico", "jar", "class", "gz", "zip");

  /** Every violation under {@code root}, as {@code path:line: what}, sorted by path then line. */
  static List<String> scan(Path root) {
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (Path file : files(root)) {
      String rel = root.relativize(file).toString().replace('\\', '/');
      String text = read(file);
      if (text == null) continue;
      boolean markdown = rel.endsWith(".md");
      String[] lines = text.split("\n", -1);
      boolean fence = false;
      for (int i = 0; i < lines.length; i++) {
        String where = rel + ":" + (i + 1) + ": ";
        String line = lines[i];
        String outsideUrls = URL.matcher(URL_LINK.matcher(line).replaceAll("")).replaceAll("");
        Matcher m = OUTSIDE_FILE.matcher(outsideUrls);
        while (m.find()) out.add(where + "cites a file outside the repository: " + m.group());
        m = MACHINE_PATH.matcher(outsideUrls);
        while (m.find()) out.add(where + "absolute machine path: " + m.group());
        m = DOCS_CITATION.matcher(markdown ? MD_LINK.matcher(outsideUrls).replaceAll("") : outsideUrls);
        while (m.find()) {
          String problem = target(root, root.resolve("docs").resolve(m.group(1)), m.group(2), anchors);
          if (problem != null) out.add(where + "cites a " + problem + ": " + m.group());
        }
        if (!markdown) continue;
        if (line.stripLeading().startsWith("```")) fence = !fence;
        if (fence) continue;
        String noCode = line.replaceAll("`[^`]*`", "``");
        List<String> targets = new ArrayList<>();
        m = MD_LINK.matcher(noCode);
        while (m.find()) targets.add(m.group(1));
        m = MD_REF.matcher(noCode);
        if (m.find()) targets.add(m.group(1));
        for (String t : targets) {
          String problem = link(root, file, t, anchors);
          if (problem != null) out.add(where + "link " + problem + ": " + t);
        }
      }
    }
    return out;
  }

  /** Why a relative markdown link target does not resolve, or null when it does (or is a URL). */
  private static String link(Path root, Path from, String target, Map<Path, Set<String>> anchors) {
    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return null; // https:, mailto: …
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash);
    Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    if (!resolved.startsWith(root)) return "outside the repository";
    String problem = target(root, resolved, anchor, anchors);
    return problem == null ? null : "to a " + problem;
  }

  /** "missing file" / "missing heading" for a file plus optional {@code #anchor}, or null. */
  private static String target(Path root, Path file, String anchor, Map<Path, Set<String>> anchors) {
    if (!Files.exists(file)) return "missing file";
    if (anchor == null || anchor.length() < 2 || !file.toString().endsWith(".md")) return null;
    Set<String> known = anchors.computeIfAbsent(file, RepositorySelfContainedTest::anchorsOf);
    return known.contains(anchor.substring(1)) ? null : "missing heading";
  }

  /** The anchors GitHub generates for a markdown file's headings, plus explicit {@code <a id>}s. */
  private static Set<String> anchorsOf(Path file) {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fence = false;
    String text = read(file);
    for (String line : text == null ? new String[0] : text.split("\n")) {
      if (line.stripLeading().startsWith("```")) fence = !fence;
      if (fence) continue;
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String s = slug(h.group(1));
        int n = seen.merge(s, 1, Integer::sum) - 1;
        out.add(n == 0 ? s : s + "-" + n);
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) out.add(a.group(1));
    }
    return out;
  }

  /** GitHub's heading slug: link labels kept, markup and punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
    return text.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  private static List<Path> files(Path root) {
    List<Path> out = new ArrayList<>();
    for (String s : SCANNED) {
      Path p = root.resolve(s);
      if (Files.isRegularFile(p)) out.add(p);
      if (!Files.isDirectory(p)) continue;
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(Files::isRegularFile).forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.removeIf(f -> BINARY.contains(extension(f)));
    out.sort(null);
    return out;
  }

  private static String extension(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** The file as UTF-8 text, or null when it is not text. */
  private static String read(Path f) {
    try {
      byte[] bytes = Files.readAllBytes(f);
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      return s.indexOf('\0') >= 0 ? null : s;
    } catch (CharacterCodingException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path root, String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}
