package glomers.harness.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over a real socket: requests written byte for byte, so no client normalises a path first. */
class StoreServerTest {
  @TempDir Path tmp;
  Path store;
  StoreServer server;

  @BeforeEach
  void start() throws Exception {
    store = Files.createDirectories(tmp.resolve("store"));
    StoreScanTest.populate(store);
    Files.writeString(tmp.resolve("secret.txt"), "outside the store\n");
    Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(tmp.resolve("outside/results.json"), "{}");
    Files.createSymbolicLink(store.resolve("escape"), tmp.resolve("outside"));
    Files.createSymbolicLink(store.resolve("echo/secret.txt"), tmp.resolve("secret.txt"));
    Files.writeString(store.resolve("echo/20261203T100000.000/latency.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    server = StoreServer.start(store, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The status line, headers and body of one request, sent as written. */
  record Response(int status, String head, String body) {
    String header(String name) {
      for (String l : head.split("\r\n")) {
        int c = l.indexOf(':');
        if (c > 0 && l.substring(0, c).equalsIgnoreCase(name)) return l.substring(c + 1).strip();
      }
      return null;
    }
  }

  Response request(String method, String target) throws Exception {
    URI u = URI.create(server.url());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = all.substring(0, split);
      return new Response(Integer.parseInt(head.split(" ")[1]), head, all.substring(split + 4));
    }
  }

  @Test
  void everyTraversalFormIsRefused() throws Exception {
    for (String target : List.of("/../secret.txt", "/echo/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
        "/echo/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/echo%2F..%2F..%2Fsecret.txt", "/..%5csecret.txt",
        "/.%2e/secret.txt", "/./echo/20261203T100000.000/test.json", "/echo//20261203T100000.000/test.json",
        "/%00", "/C:/secret.txt", "/escape/results.json", "/escape/", "/echo/secret.txt")) {
      Response r = request("GET", target);
      assertTrue(r.status() == 403 || r.status() == 404, target + " → " + r.status());
      assertFalse(r.body().contains("outside the store"), target);
    }
    for (String absolute : List.of(tmp.resolve("secret.txt").toString(), "/etc/passwd")) {
      Response r = request("GET", absolute);
      assertEquals(404, r.status(), absolute + " is a path inside the store, which has none");
    }
    assertEquals(403, request("GET", "/escape/results.json").status(), "a symlink leaving the store");
    assertEquals(200, request("GET", "/latest/results.json").status(), "a symlink inside the store is followed");
  }

  @Test
  void onlyGetAndHead() throws Exception {
    for (String m : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
      Response r = request(m, "/echo/20261203T100000.000/results.json");
      assertEquals(405, r.status(), m);
      assertEquals("GET, HEAD", r.header("Allow"), m);
    }
    Response get = request("GET", "/echo/20261203T100000.000/results.json");
    Response head = request("HEAD", "/echo/20261203T100000.000/results.json");
    assertEquals(200, head.status());
    assertEquals("", head.body());
    assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length), head.header("Content-Length"));
    assertEquals(200, request("HEAD", "/").status());
  }

  @Test
  void contentTypes() throws Exception {
    String run = "/echo/20261203T100000.000/";
    assertEquals("text/html; charset=utf-8", request("GET", run + "report.html").header("Content-Type"));
    assertEquals("application/json; charset=utf-8", request("GET", run + "results.json").header("Content-Type"));
    assertEquals("text/plain; charset=utf-8", request("GET", run + "history.jsonl").header("Content-Type"));
    assertEquals("text/plain; charset=utf-8", request("GET", run + "node-logs/n0.log").header("Content-Type"));
    assertEquals("image/svg+xml", request("GET", run + "latency.svg").header("Content-Type"));
    assertEquals("nosniff", request("GET", run + "results.json").header("X-Content-Type-Options"));
    Response index = request("GET", "/");
    assertEquals("text/html; charset=utf-8", index.header("Content-Type"));
    assertTrue(index.body().contains("\">INVALID</span>"));
    Response dir = request("GET", "/echo/20261203T100000.000");
    assertEquals(301, dir.status());
    assertEquals("/echo/20261203T100000.000/", dir.header("Location"));
    Response listing = request("GET", run + "node-logs/");
    assertEquals(200, listing.status());
    assertTrue(listing.body().contains("href=\"n0.log\""), listing.body());
    assertEquals(404, request("GET", run + "missing.json").status());
    assertEquals(204, request("GET", "/favicon.ico").status(), "browsers ask for it on every page");
  }

  @Test
  void contentTypeOfUnknownFilesIsOpaque() {
    assertEquals("application/octet-stream", StoreServer.contentType(Path.of("x.bin")));
    assertEquals("image/png", StoreServer.contentType(Path.of("shot.PNG".toLowerCase(Locale.ROOT))));
  }
}
