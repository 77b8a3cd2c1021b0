package glomers.cli;

import glomers.harness.serve.StoreServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: Maelstrom's {@code serve}, a read-only web page over the store listing every run. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the store read-only over HTTP: an index of every run (newest first, verdict, figures, filters)",
      "linking to each run's report.html and files. Runs until interrupted (Ctrl-C)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--store", paramLabel = "DIR", description = "The store directory (default: ${DEFAULT-VALUE}).")
  Path store = Path.of("store");

  @Option(names = {"-b", "--host"}, paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}; Maelstrom binds 0.0.0.0, give -b 0.0.0.0 for that).")
  String host = "127.0.0.1";

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port = 8080;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(store)) {
      System.err.println("serve: no store directory " + store + " (run a test first, or give --store DIR)");
      return 2;
    }
    StoreServer server;
    try {
      server = StoreServer.start(store, host, port);
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      System.err.println("serve: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "serve-shutdown"));
    System.out.println("Serving " + store + " at " + server.url() + " (read-only; Ctrl-C to stop)");
    stopped.await();
    return 0;
  }
}
