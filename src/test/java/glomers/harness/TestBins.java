package glomers.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Test utility: writes an executable launcher script that runs a main class with the test classpath, so
 * that any class in {@code src/main} or {@code src/test} (our nodes, mutants) can be given to the harness
 * as {@code --bin}. Example: {@code Path bin = TestBins.forMain(EchoAltersText.class);}
 */
public final class TestBins {
  private TestBins() {}

  /** JVM flags that make short-lived node processes start fast on a loaded 2-core machine. */
  public static final List<String> FAST_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-UsePerfData");

  /** A script running {@code mainClass} with fixed leading {@code args} (the harness appends its own). */
  public static Path forMain(Class<?> mainClass, String... args) {
    return forMainName(mainClass.getName(), args);
  }

  /** As {@link #forMain} by class name (e.g. {@code "glomers.cli.Main"}). */
  public static Path forMainName(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FAST_JVM);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    StringBuilder sb = new StringBuilder("#!/bin/sh\nexec");
    for (String c : cmd) sb.append(' ').append(quote(c));
    sb.append(" \"$@\"\n");
    return script(mainClass.replace('.', '_'), sb.toString());
  }

  /** An executable shell script with the given body (first line should be a shebang). */
  public static Path script(String name, String body) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "test-bins"));
      Path f = Files.createTempFile(dir, name + "-", ".sh");
      Files.writeString(f, body);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
      return f.toAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The test JVM's real classpath (surefire may hide it behind a manifest-only jar). */
  public static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
    List<String> abs = new ArrayList<>();
    for (String p : cp.split(File.pathSeparator)) if (!p.isBlank()) abs.add(Path.of(p).toAbsolutePath().toString());
    return String.join(File.pathSeparator, abs);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
