package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** run.sh end to end on a tiny catalogue (short echo runs): table, verdicts, exit codes. */
class RunShIT {
  record Result(int code, String out) {}

  static Result runSh(Path catalogue, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", "run.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (catalogue != null) pb.environment().put("CATALOGUE", catalogue.toString());
    pb.environment().remove("MAELSTROM");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  static Path catalogue(Path dir, String... lines) throws Exception {
    Path f = dir.resolve("catalogue.tsv");
    Files.writeString(f, "# test catalogue\n" + String.join("\n", lines) + "\n");
    return f;
  }

  static final String ECHO = "echo\t-w echo --node-count 1 --time-limit 2 --rate 20\t";

  @Test
  @Timeout(300)
  void passFailSkipAndCrashAreReportedWithTheRightExitCode(@TempDir Path dir) throws Exception {
    Path cat =
        catalogue(
            dir,
            "ok\t" + ECHO + "stats.count>5 availability.ok-fraction>=1",
            "missed\t" + ECHO + "stats.count<0",
            "absent\tno-such-node-workload\t-w echo --node-count 1 --time-limit 2\t");
    Result all = runSh(cat);
    assertEquals(1, all.code, all.out);
    Map<String, String> verdicts = new java.util.HashMap<>();
    for (String line : all.out.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && List.of("ok", "missed", "absent").contains(f[0])) verdicts.put(f[0], f[1]);
    }
    assertEquals(Map.of("ok", "PASS", "missed", "FAIL", "absent", "SKIP"), verdicts, all.out);
    assertTrue(all.out.contains("stats.count=") && all.out.contains("(<0 MISSED)"), all.out);

    Result ok = runSh(cat, "ok");
    assertEquals(0, ok.code, ok.out);
    Result explicitAbsent = runSh(cat, "absent");
    assertEquals(1, explicitAbsent.code, explicitAbsent.out);
    Result unknown = runSh(cat, "nope");
    assertEquals(2, unknown.code, unknown.out);
  }

  @Test
  @Timeout(120)
  void listShowsTheRealCatalogue() throws Exception {
    Result r = runSh(null, "--list");
    assertEquals(0, r.code, r.out);
    for (String id : List.of("1", "2", "3a", "3b", "3c", "3d", "3e", "4", "5a", "5b", "5c", "6a", "6b-i", "6b-ii", "6c")) {
      assertTrue(r.out.lines().anyMatch(l -> l.startsWith(id + " ")), "catalogue lacks " + id + ":\n" + r.out);
    }
  }
}
