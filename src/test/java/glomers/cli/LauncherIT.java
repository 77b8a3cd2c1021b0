package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged {@code target/launcher} as a real process, the way Maelstrom does (failsafe: after package). */
class LauncherIT {
  static final Path LAUNCHER = Paths.get("target", "launcher").toAbsolutePath();
  static final String INIT =
      "{\"id\":0,\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n0\",\"node_ids\":[\"n0\"]}}";
  static final String ECHO = "{\"id\":1,\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":\"Please echo 35\"}}";

  record Result(int code, String out, String err) {}

  static Result run(Path bin, String stdin, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("launcher", ".err");
    Process p =
        new ProcessBuilder(cmd)
            .directory(new File(System.getProperty("java.io.tmpdir"))) // Maelstrom's cwd
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Result r = new Result(p.exitValue(), out, Files.readString(err));
    Files.delete(err);
    return r;
  }

  static final String EXPECTED =
      "{\"src\":\"n0\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1,\"msg_id\":1}}\n"
          + "{\"src\":\"n0\",\"dest\":\"c1\",\"body\":{\"type\":\"echo_ok\",\"echo\":\"Please echo 35\",\"in_reply_to\":1,\"msg_id\":2}}\n";

  @Test
  @Timeout(60)
  void pipedInitAndEchoPrintExactlyTheTwoReplies() throws Exception {
    Result r = run(LAUNCHER, INIT + "\n" + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
  }

  @Test
  @Timeout(60)
  void garbageBetweenChangesOnlyStderr(@TempDir Path dir) throws Exception {
    Path link = dir.resolve("my-node");
    Files.createSymbolicLink(link, LAUNCHER); // Maelstrom canonicalises --bin, but users symlink too
    String junk = "this is not json\n{\"src\":\"c1\"}\n[]\n\n{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\"}}\n";
    Result r = run(link, INIT + "\n" + junk + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
    assertTrue(r.err.contains("this is not json"), r.err);
  }

  @Test
  @Timeout(60)
  void aStaleOrBrokenCdsArchiveIsIgnoredWithCleanStdout(@TempDir Path dir) throws Exception {
    Path target = LAUNCHER.getParent();
    assertTrue(Files.exists(target.resolve("glomers.jsa")), "mvn package made the AppCDS archive");
    for (String f : List.of("launcher", "glomers.jar", "glomers.jsa", "launcher.java")) {
      Files.copy(target.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.createSymbolicLink(dir.resolve("lib"), target.resolve("lib"));
    // a jar (at another path, with another mtime) that is not the one the archive was made from: the JVM
    // refuses the archive (silently: a class-path mismatch is logged at info level only) and goes on
    Files.setLastModifiedTime(dir.resolve("glomers.jar"), java.nio.file.attribute.FileTime.fromMillis(0));
    Result r = run(dir.resolve("launcher"), INIT + "\n" + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
    // an archive that is garbage altogether
    Files.delete(dir.resolve("glomers.jsa"));
    Files.writeString(dir.resolve("glomers.jsa"), "not an archive");
    r = run(dir.resolve("launcher"), INIT + "\n" + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
  }

  @Test
  @Timeout(60)
  void aBrokenAotCacheOrAMissingAotJdkFallsBackWithCleanStdout(@TempDir Path dir) throws Exception {
    Path target = LAUNCHER.getParent();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(target.resolve("glomers.aot")), "no JDK 24+ at build time: no AOT cache to test");
    for (String f : List.of("launcher", "glomers.jar", "glomers.jsa", "launcher.java", "launcher.aot-java")) {
      Files.copy(target.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.createSymbolicLink(dir.resolve("lib"), target.resolve("lib"));
    // garbage where the cache should be: the newer JDK ignores it and runs without
    Files.writeString(dir.resolve("glomers.aot"), "not a cache");
    Result r = run(dir.resolve("launcher"), INIT + "\n" + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
    // the recorded JDK is gone (target/ copied to another machine): the build JDK with AppCDS runs the node
    Files.writeString(dir.resolve("launcher.aot-java"), dir.resolve("no-such-jdk/bin/java").toString());
    r = run(dir.resolve("launcher"), INIT + "\n" + ECHO + "\n", "echo");
    assertEquals(EXPECTED, r.out);
    assertEquals(0, r.code);
  }

  @Test
  @Timeout(60)
  void uniqueIdsAndUsageErrors() throws Exception {
    Result ids =
        run(LAUNCHER, INIT + "\n" + "{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"generate\",\"msg_id\":2}}\n", "unique-ids");
    assertTrue(ids.out.contains("\"generate_ok\""), ids.out);
    Result bad = run(LAUNCHER, "", "no-such-workload");
    assertEquals(2, bad.code);
    assertEquals("", bad.out);
    assertTrue(bad.err.contains("valid workloads: echo"), bad.err);
    Result list = run(LAUNCHER, "", "--list");
    assertTrue(list.out.lines().toList().containsAll(List.of("echo", "unique-ids")), list.out);
  }

  @Test
  @Timeout(60)
  void aBadSettingEndsTheNodeWithOneLineWithoutWaitingForStdin() throws Exception {
    for (String setting : List.of("profile=fast", "fanout=4")) {
      // stdin stays open: the launcher must not wait for it
      Process p = new ProcessBuilder(LAUNCHER.toString(), "broadcast", setting).start();
      try {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), setting + ": still running");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), err);
        assertEquals("", out);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("launcher broadcast: ") && err.contains("valid settings: profile=balanced|"), err);
      } finally {
        p.destroyForcibly();
      }
    }
    Result good = run(LAUNCHER, INIT + "\n", "broadcast", "profile=latency");
    assertEquals(0, good.code, good.err);
    assertTrue(good.out.contains("init_ok"), good.out);
  }

  /**
   * What the class archive cannot hold, each node pays for before {@code init_ok}: classes spun at run time
   * and classes read from the jar (docs/runtime.md#where-start-up-goes). A record's generated toString on
   * broadcast's init path once spun ≈ 30; a few lambda forms of the JDK's own are tolerated. Only with the
   * AOT cache: JDK 17's CDS archive keeps no lambda forms, so there every node spins a dozen or more.
   */
  @Test
  @Timeout(300)
  void everyWorkloadReachesInitOkOnArchivedClasses(@TempDir Path dir) throws Exception {
    Path target = LAUNCHER.getParent();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(target.resolve("glomers.aot")) && Files.exists(target.resolve("launcher.aot-java"))
            && Files.isExecutable(Path.of(Files.readString(target.resolve("launcher.aot-java")).trim())),
        "no JDK 24+ at build time: no AOT cache to test");
    String init = INIT.replace("[\"n0\"]", "[\"n0\",\"n1\",\"n2\"]");
    for (String name : NodeWorkloads.names()) {
      Path log = dir.resolve(name + ".classes");
      ProcessBuilder pb =
          new ProcessBuilder(LAUNCHER.toString(), name).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("GLOMERS_WARMUP", "0");
      pb.environment().put("GLOMERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
      Process p = pb.start();
      p.getOutputStream().write((init + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(first != null && first.contains("init_ok"), name + ": " + first);
      p.destroyForcibly(); // as harnesses stop nodes: the log then ends where the node stood
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      List<String> late =
          Files.readAllLines(log).stream().filter(l -> l.contains("__JVM_LookupDefineClass__") || l.contains("source: file:")).toList();
      assertTrue(late.size() <= 5, name + " made or read " + late.size() + " classes before init_ok: " + late);
    }
  }
}
