package glomers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}, {@code analyze} and {@code doc} as the README shows them, on the packaged {@code target/launcher}. */
class CommandsIT {
  static final String LAUNCHER = LauncherIT.LAUNCHER.toString();

  record Out(int exit, String out) {}

  static Out launcher(Path cwd, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Out(p.exitValue(), out);
  }

  @Test
  void testThenAnalyzeThenServe(@TempDir Path cwd) throws Exception {
    Out test = launcher(cwd, "test", "-w", "echo", "--bin", LAUNCHER, "--node-count", "1", "--time-limit", "2", "echo");
    assertEquals(0, test.exit(), test.out());
    String results = Files.readString(cwd.resolve("store/latest/results.json"));

    Out analyze = launcher(cwd, "analyze");
    assertEquals(0, analyze.exit(), analyze.out());
    assertTrue(analyze.out().contains("Everything looks good!"), analyze.out());
    assertEquals(results, Files.readString(cwd.resolve("store/latest/results.json")), "the same results.json, byte for byte");

    Process serve = new ProcessBuilder(LAUNCHER, "serve", "-p", "0").directory(cwd.toFile()).redirectErrorStream(true).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertTrue(line != null && line.startsWith("Serving store at http://127.0.0.1:"), String.valueOf(line));
      String url = line.replaceAll(".* at (http://\\S+) .*", "$1");
      HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, index.statusCode());
      assertTrue(index.body().contains("\">VALID</span>"), index.body());
    } finally {
      serve.destroy();
      assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve stops on SIGTERM");
      serve.destroyForcibly();
    }
  }

  @Test
  void docAndItsErrors(@TempDir Path cwd) throws Exception {
    Out list = launcher(cwd, "doc");
    assertEquals(0, list.exit(), list.out());
    assertTrue(list.out().contains("  kafka "), list.out());
    Out one = launcher(cwd, "doc", "lin-kv");
    assertTrue(one.out().contains("## Linearizability (lin-kv)"), one.out());
    Out missing = launcher(cwd, "analyze", "nowhere");
    assertEquals(254, missing.exit());
    assertEquals("analyze: not a run directory: nowhere\n", missing.out());
    Out noStore = launcher(cwd, "serve");
    assertEquals(2, noStore.exit());
    assertEquals(1, noStore.out().lines().count(), noStore.out());
  }
}
