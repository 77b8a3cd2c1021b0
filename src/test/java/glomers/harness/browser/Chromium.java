package glomers.harness.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import glomers.protocol.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;

/**
 * Test utility: one headless Chromium driven over the DevTools protocol (JSON over the JDK's WebSocket client), for
 * what a person does with a page: open it, see whether its scripts threw, read the DOM, click, take a screenshot.
 * Every script exception and every console error of the page is collected ({@link #errors()}). {@link #close()} kills
 * Chromium and all its processes, and every failure on the way up does too.
 *
 * <pre>{@code
 * try (Chromium c = Chromium.start("the report check", tmp)) {
 *   c.navigate(report.toUri().toString());
 *   assertEquals(List.of(), c.errors());
 *   Object title = c.evaluate("document.title");
 * }
 * }</pre>
 */
public final class Chromium implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<CompletableFuture<Void>> loadWaiters = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private WebSocket socket;

  private Chromium(Process process) {
    this.process = process;
  }

  /** The Chromium binary: {@code $CHROMIUM}, else chromium / chromium-browser / google-chrome on the PATH; or null. */
  public static String find() {
    String env = System.getenv("CHROMIUM");
    if (env != null && new File(env).canExecute()) return env;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
        File f = new File(dir, name);
        if (f.canExecute()) return f.getAbsolutePath();
      }
    }
    return null;
  }

  /**
   * Starts Chromium with its profile under {@code tmp}. Without Chromium the test is skipped with a one-line reason
   * naming {@code why}, except under {@code CI=true}, where it fails: CI never passes without opening the page.
   */
  public static Chromium start(String why, Path tmp) throws Exception {
    String bin = find();
    if (bin == null && "true".equals(System.getenv("CI"))) {
      Assertions.fail("CI=true but no chromium on PATH (set CHROMIUM or apt-get install -y chromium): cannot run " + why);
    }
    assumeTrue(bin != null, "chromium not installed (apt-get install -y chromium): skipping " + why);
    List<String> cmd = List.of(bin, "--headless=new", "--no-sandbox", "--remote-debugging-port=0",
        "--user-data-dir=" + tmp.resolve("chromium-profile").toAbsolutePath(), "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--window-size=1400,1000", "about:blank");
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Chromium c = new Chromium(p);
    try {
      p.getOutputStream().close();
      c.connect(c.devToolsUrl());
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /** Reads stderr until Chromium says where DevTools listen; keeps draining it afterwards. */
  private URI devToolsUrl() throws Exception {
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > 30) stderrTail.removeFirst();
          }
          int at = line.indexOf("DevTools listening on ");
          if (at >= 0) url.complete(line.substring(at + "DevTools listening on ".length()).strip());
        }
      } catch (IOException ignored) {
        // the process is gone
      }
      url.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened:\n" + stderrTail()));
    }, "chromium-stderr");
    t.setDaemon(true);
    t.start();
    return URI.create(url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }

  /** Connects to the first page target (the {@code about:blank} it started with) and enables its event domains. */
  private void connect(URI browserWs) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    URI list = URI.create("http://" + browserWs.getHost() + ":" + browserWs.getPort() + "/json/list");
    String pageWs = null;
    for (int attempt = 0; attempt < 50 && pageWs == null; attempt++) {
      String body = http.send(HttpRequest.newBuilder(list).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (Object o : (List<?>) Json.MAPPER.readValue(body, List.class)) {
        if (o instanceof Map<?, ?> m && "page".equals(m.get("type"))) pageWs = String.valueOf(m.get("webSocketDebuggerUrl"));
      }
      if (pageWs == null) Thread.sleep(100);
    }
    if (pageWs == null) throw new IllegalStateException("chromium has no page target");
    socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(pageWs), new Listener())
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    send("Page.enable", Map.of());
    send("Runtime.enable", Map.of());
    send("Log.enable", Map.of());
    send("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String msg = partial.toString();
        partial.setLength(0);
        try {
          onMessage(Json.parseMap(msg));
        } catch (IOException | RuntimeException e) {
          errors.add("unreadable DevTools message: " + e.getMessage());
        }
      }
      ws.request(1);
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private void onMessage(Map<String, Object> m) {
    if (m.get("id") instanceof Number id) {
      CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
      if (f != null) f.complete(m);
      return;
    }
    Map<String, Object> params = m.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    switch (String.valueOf(m.get("method"))) {
      case "Page.loadEventFired" -> loadWaiters.forEach(f -> f.complete(null));
      case "Runtime.exceptionThrown" -> errors.add("exception: " + describe(params.get("exceptionDetails")));
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(params.get("type"))) errors.add("console.error: " + params.get("args"));
      }
      case "Log.entryAdded" -> {
        if (params.get("entry") instanceof Map<?, ?> e && "error".equals(e.get("level"))) {
          errors.add("log: " + e.get("text") + " " + e.get("url"));
        }
      }
      default -> { }
    }
  }

  private static String describe(Object details) {
    if (!(details instanceof Map<?, ?> d)) return String.valueOf(details);
    Object ex = d.get("exception") instanceof Map<?, ?> e ? e.get("description") : null;
    return (ex != null ? ex : d.get("text")) + " at " + d.get("url") + ":" + d.get("lineNumber");
  }

  /** Sends one DevTools command and waits for its result; a protocol error fails. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
    pending.put(id, f);
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", id);
    msg.put("method", method);
    msg.put("params", params);
    socket.sendText(Json.write(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Map<String, Object> reply;
    try {
      reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(method + ": no answer from chromium in " + TIMEOUT.toSeconds() + " s\n" + stderrTail());
    }
    if (reply.get("error") != null) throw new AssertionError(method + ": " + reply.get("error"));
    return reply.get("result") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
  }

  /** Opens {@code url} and waits for its load event. */
  public void navigate(String url) throws Exception {
    whileLoading(() -> send("Page.navigate", Map.of("url", url)));
  }

  /** An action that makes the page navigate (a click on a link), then waits for the new page's load event. */
  public void whileLoading(Action action) throws Exception {
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    loadWaiters.add(loaded);
    try {
      action.run();
      loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the page did not finish loading in " + TIMEOUT.toSeconds() + " s");
    } finally {
      loadWaiters.remove(loaded);
    }
  }

  /** Something that may throw, as a page action. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** The value of a JavaScript expression in the page (promises awaited); a thrown exception fails. */
  public Object evaluate(String expression) throws Exception {
    Map<String, Object> r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.get("exceptionDetails") != null) throw new AssertionError(expression + " threw: " + describe(r.get("exceptionDetails")));
    return r.get("result") instanceof Map<?, ?> v ? v.get("value") : null;
  }

  /** How many elements match a CSS selector. */
  public long count(String selector) throws Exception {
    return ((Number) evaluate("document.querySelectorAll(" + Json.write(selector) + ").length")).longValue();
  }

  /** A PNG of the viewport (1400 × 1000). */
  public byte[] screenshot() throws Exception {
    return Base64.getDecoder().decode(String.valueOf(send("Page.captureScreenshot", Map.of("format", "png")).get("data")));
  }

  /**
   * A screenshot kept as {@code target/browser/<name>} for a person to look at after the build; fails when it is
   * blank ({@link #assertNotBlank}).
   */
  public Path saveScreenshot(String name) throws Exception {
    byte[] png = screenshot();
    Path file = Path.of("target", "browser", name);
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.write(file, png);
    assertNotBlank(png);
    return file;
  }

  /** The page's script exceptions and console errors so far. */
  public List<String> errors() {
    return new ArrayList<>(errors);
  }

  /** A screenshot of a page that drew something: many colours, and not one colour over nearly all of it. */
  public static void assertNotBlank(byte[] png) throws Exception {
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
    Assertions.assertEquals(1400, img.getWidth());
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    long white = 0, n = 0;
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb == 0xFFFFFF) white++;
        n++;
      }
    }
    Assertions.assertTrue(colours.size() > 50, "a drawn page has many colours, this one " + colours.size());
    Assertions.assertTrue(white < n * 0.97, "not blank: " + (100 * white / n) + " % white");
  }
  private String stderrTail() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  /** Kills Chromium and every process it started, and waits for them. */
  @Override
  public void close() {
    if (socket != null) socket.abort();
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(20, TimeUnit.SECONDS);
      for (ProcessHandle h : tree) h.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the processes were told to die; nothing more to do
    }
  }
}
