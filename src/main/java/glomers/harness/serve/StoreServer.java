package glomers.harness.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import glomers.harness.report.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code launcher serve}: a read-only web server over a store. {@code /} is the {@link IndexPage}; every other path
 * names a file or directory inside the store. Built on the JDK's {@code com.sun.net.httpserver}: one page and static
 * files need no framework.
 *
 * <p>Safe by construction: only GET and HEAD (405 otherwise); a path is decoded once and refused (403) when a segment
 * is {@code .}, {@code ..} or empty, contains a backslash, a NUL or a colon, or when the raw path carries an encoded
 * slash or backslash; what remains is resolved inside the store and refused again if its real path (symbolic links
 * followed) leaves the store. Nothing else is ever read.
 */
public final class StoreServer implements AutoCloseable {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("json", "application/json; charset=utf-8"),
      Map.entry("jsonl", "text/plain; charset=utf-8"),
      Map.entry("log", "text/plain; charset=utf-8"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("edn", "text/plain; charset=utf-8"),
      Map.entry("tsv", "text/plain; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"));

  private final Path root;
  private final HttpServer http;
  private final ExecutorService pool;

  /** Where a request path leads: a file or directory inside the store, or the status that refuses it. */
  record Target(Path path, int status) {
    static Target refused(int status) {
      return new Target(null, status);
    }
  }

  private StoreServer(Path root, HttpServer http, ExecutorService pool) {
    this.root = root;
    this.http = http;
    this.pool = pool;
  }

  /** Starts serving {@code store} on {@code host:port} (port 0: any free port). */
  public static StoreServer start(Path store, String host, int port) throws IOException {
    Path root = store.toRealPath();
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "serve");
      t.setDaemon(true);
      return t;
    });
    StoreServer s = new StoreServer(root, http, pool);
    http.createContext("/", s::handle);
    http.setExecutor(pool);
    http.start();
    return s;
  }

  /** The address it listens on, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return "http://" + host + ":" + a.getPort() + "/";
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", bytes("405 only GET and HEAD\n"), false);
        return;
      }
      String raw = ex.getRequestURI().getRawPath();
      if (raw == null || raw.equals("/")) {
        List<StoredRun> runs = StoreScan.scan(root, Instant.now());
        String page = IndexPage.render(root.getFileName().toString(), runs, StoreScan.groups(root, runs));
        send(ex, 200, TYPES.get("html"), bytes(page), head);
        return;
      }
      Target t = resolve(root, raw);
      if (t.status() == 404 && raw.equals("/favicon.ico")) {
        ex.sendResponseHeaders(204, -1); // browsers ask on every page; "none" is not an error
      } else if (t.path() == null) {
        send(ex, t.status(), "text/plain; charset=utf-8", bytes(t.status() + "\n"), head);
      } else if (Files.isDirectory(t.path())) {
        if (!raw.endsWith("/")) {
          ex.getResponseHeaders().set("Location", raw + "/");
          send(ex, 301, "text/plain; charset=utf-8", bytes("301\n"), head);
        } else {
          send(ex, 200, TYPES.get("html"), bytes(listing(raw, t.path())), head);
        }
      } else {
        sendFile(ex, t.path(), head);
      }
    } catch (IOException | RuntimeException e) {
      // a request that fails midway (client gone, file removed) never stops the server
    }
  }

  /** Maps a raw request path to a file or directory inside {@code root} (a real path), or the status refusing it. */
  static Target resolve(Path root, String rawPath) {
    if (!rawPath.startsWith("/")) return Target.refused(403);
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) return Target.refused(403);
    String decoded;
    try {
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Target.refused(400);
    }
    String rest = decoded.substring(1);
    if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
    List<String> segs = new ArrayList<>();
    for (String seg : rest.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.indexOf('\\') >= 0 || seg.indexOf('\0') >= 0
          || seg.indexOf(':') >= 0) {
        return Target.refused(403);
      }
      segs.add(seg);
    }
    Path p = root;
    for (String seg : segs) p = p.resolve(seg);
    if (!p.normalize().startsWith(root)) return Target.refused(403);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Target.refused(404);
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      return Target.refused(404); // a dangling link
    }
    return real.startsWith(root) ? new Target(real, 200) : Target.refused(403);
  }

  static String contentType(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    return type != null ? type : "application/octet-stream";
  }

  private static String listing(String rawPath, Path dir) throws IOException {
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").text(rawPath)
        .raw("</title></head><body><h1>").text(URLDecoder.decode(rawPath, StandardCharsets.UTF_8)).raw("</h1><ul>")
        .raw("<li><a href=\"/\">index of runs</a></li>");
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String slash = Files.isDirectory(p) ? "/" : "";
        String name = p.getFileName().toString();
        h.raw("<li><a href=\"").text(IndexPage.href(name).substring(1) + slash).raw("\">").text(name + slash)
            .raw("</a></li>");
      }
    }
    return h.raw("</ul></body></html>").toString();
  }

  private static void sendFile(HttpExchange ex, Path file, boolean head) throws IOException {
    long size = Files.size(file);
    ex.getResponseHeaders().set("Content-Type", contentType(file));
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(size));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, size == 0 ? -1 : size);
    try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
