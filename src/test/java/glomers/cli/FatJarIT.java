package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/glomers-all.jar}, the one file a user outside Java downloads: copied alone into an empty
 * directory (no {@code lib/}, no launcher), it runs a node with {@code java -jar … echo} and the harness
 * with {@code java -jar … test}, here testing a node that is itself that jar.
 */
class FatJarIT {
  static final Path JAR = Paths.get("target", "glomers-all.jar").toAbsolutePath();
  static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  record Result(int code, String out, String err) {}

  static Result run(Path dir, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", dir.resolve("glomers-all.jar").toString()));
    cmd.addAll(List.of(args));
    Path err = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
    try {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "still running: " + cmd);
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  static Path alone(Path dir) throws Exception {
    assertTrue(Files.exists(JAR), "mvn package made " + JAR);
    Files.copy(JAR, dir.resolve("glomers-all.jar"));
    return dir;
  }

  @Test
  @Timeout(60)
  void runsANodeOnItsOwn(@TempDir Path tmp) throws Exception {
    Result r = run(alone(tmp), LauncherIT.INIT + "\n" + LauncherIT.ECHO + "\n", "echo");
    assertEquals(LauncherIT.EXPECTED, r.out, r.err);
    assertEquals(0, r.code);
  }

  @Test
  @Timeout(120)
  void runsTheHarnessOnANodeBinary(@TempDir Path tmp) throws Exception {
    Path dir = alone(tmp);
    // a node written in "another language": here a shell script that happens to run the same jar
    Path node = dir.resolve("my-node");
    Files.writeString(node, "#!/bin/sh\nexec '" + JAVA + "' -jar \"$(dirname \"$0\")/glomers-all.jar\" echo\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
    Result r = run(dir, "", "test", "-w", "echo", "--bin", "./my-node", "--node-count", "1", "--time-limit", "3", "--rate", "10");
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(r.out.contains("Everything looks good!"), r.out);
    assertTrue(Files.isRegularFile(dir.resolve("store/latest/results.json")), "results written under the working directory");
  }
}
