package glomers.harness.service;

import glomers.harness.net.Envelope;
import glomers.harness.net.Network;
import glomers.harness.net.UnknownDestinationException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one service: receive (with network latency and queue semantics), handle, reply with {@code
 * in_reply_to} = the request's {@code msg_id} (or null) and no {@code msg_id}. On real time it polls on
 * its own daemon thread; on virtual time the network pushes each request to it on the event loop.
 */
public final class ServiceRunner {
  private final Service service;
  private final Network net;
  private final Consumer<String> diagnostics;
  private final Thread thread;
  private volatile boolean running = true;

  public ServiceRunner(Service service, Network net, Consumer<String> diagnostics) {
    this.service = service;
    this.net = net;
    this.diagnostics = diagnostics;
    if (net.clock().isVirtual()) {
      net.register(service.id(), this::handle);
      this.thread = null;
    } else {
      net.register(service.id());
      this.thread = new Thread(this::loop, "service-" + service.id());
      thread.setDaemon(true);
    }
  }

  public void start() {
    if (thread != null) thread.start();
  }

  private void loop() {
    while (running) {
      Envelope e;
      try {
        e = net.poll(service.id(), 100_000_000L);
      } catch (InterruptedException ie) {
        return;
      }
      if (e != null) handle(e);
    }
  }

  private void handle(Envelope e) {
    @SuppressWarnings("unchecked")
    Map<String, Object> body = e.body() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Map<String, Object> reply;
    try {
      reply = service.handle(e.src(), body);
    } catch (RuntimeException ex) {
      reply = null;
    }
    if (reply == null) {
      diagnostics.accept("service " + service.id() + " got a request it cannot handle from " + e.src() + ": "
          + glomers.protocol.Json.write(body) + " — Maelstrom sends no reply (the caller will time out); "
          + "docs/maelstrom.md#services");
      return;
    }
    reply.put("in_reply_to", body.get("msg_id"));
    try {
      net.send(service.id(), e.src(), reply);
    } catch (UnknownDestinationException ex) {
      // the caller is gone (a closed client); Maelstrom's service would throw and carry on
    }
  }

  public void stop() {
    running = false;
    if (thread != null) thread.interrupt();
  }
}
