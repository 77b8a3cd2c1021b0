package glomers.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import glomers.node.Node;
import glomers.node.NodeRuntime;
import glomers.node.SimEventLoop;
import glomers.node.WorkloadHandler;
import glomers.protocol.Json;
import glomers.protocol.JsonLine;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stream component between simulated nodes on a network that loses, duplicates and reorders. */
class PeerStreamsTest {
  /** A node that streams the numbers its client gives it to every peer and records what it receives. */
  static final class Streamer implements WorkloadHandler {
    final long incarnation;
    PeerStreams<Long> streams;
    final Map<String, List<Long>> delivered = new LinkedHashMap<>();
    final Map<String, Long> latest = new HashMap<>();
    final List<String> restartsSeen = new ArrayList<>();
    long sent;

    Streamer(long incarnation) {
      this.incarnation = incarnation;
    }

    @Override
    public void install(Node node) {
      node.onInit(() -> streams = new PeerStreams<>(node, incarnation, 300, 200, new PeerStreams.Transport<Long>() {
        @Override
        public void send(PeerStreams<Long>.Link link) {
          transmit(node, link, true);
        }

        @Override
        public void peerRestarted(PeerStreams<Long>.Link link) {
          restartsSeen.add(link.peer());
        }
      }).start(node.otherNodeIds()));
      node.on("add", m -> {
        long v = m.body().get("v").asLong();
        sent++;
        for (PeerStreams<Long>.Link l : streams.links()) {
          l.offer(v);
          l.setLatest(JsonLine.object().put("count", sent));
          transmit(node, l, false);
        }
      });
      node.on("st", m -> {
        JsonNode v = m.body().get("v");
        PeerStreams.Receipt r = streams.receive(m.src(), m.body(), v.size());
        for (int i = r.firstNew(); i < v.size(); i++) delivered.computeIfAbsent(m.src(), k -> new ArrayList<>()).add(v.get(i).asLong());
        if (r.latest() != null) latest.put(m.src(), r.latest().get("count").asLong());
      });
    }

    static void transmit(Node node, PeerStreams<Long>.Link l, boolean fromAcked) {
      ObjectNode b = node.body("st");
      ArrayNode arr = b.putArray("v");
      for (long x : l.stamp(b, fromAcked, Integer.MAX_VALUE)) arr.add(x);
      node.send(l.peer(), b);
    }
  }

  /** Nodes on one virtual clock; node↔node messages take 50 ms + U[0, jitter], may be lost or doubled. */
  static final class Net {
    final SimEventLoop loop = new SimEventLoop();
    final SplittableRandom random;
    final Map<String, NodeRuntime> nodes = new LinkedHashMap<>();
    final Map<String, Streamer> handlers = new LinkedHashMap<>();
    final List<String> ids;
    double loss, duplicate;
    long jitter;
    long messages;

    Net(long seed, String... ids) {
      this.random = new SplittableRandom(seed);
      this.ids = List.of(ids);
      for (String id : ids) start(id, 1);
    }

    void start(String id, long incarnation) {
      NodeRuntime rt = new NodeRuntime(loop, line -> route(id, line), new SplittableRandom(1), Map.of(), new PrintStream(OutputStream.nullOutputStream()));
      Streamer h = new Streamer(incarnation);
      rt.install(h);
      nodes.put(id, rt);
      handlers.put(id, h);
      rt.deliver("{\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"" + id
          + "\",\"node_ids\":" + Json.write(ids) + "}}");
    }

    void route(String from, String line) {
      String dest;
      try {
        dest = Json.parseTree(line).get("dest").asText();
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
      if (dest.startsWith("c")) return;
      messages++;
      if (random.nextDouble() < loss) return;
      int copies = random.nextDouble() < duplicate ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        NodeRuntime target = nodes.get(dest);
        loop.schedule(50 + (jitter > 0 ? random.nextLong(jitter + 1) : 0), () -> {
          if (nodes.get(dest) == target) target.deliver(line); // a message to a node's previous life is lost
        });
      }
    }

    void add(String node, long v) {
      nodes.get(node).deliver("{\"src\":\"c1\",\"dest\":\"" + node + "\",\"body\":{\"type\":\"add\",\"v\":" + v + "}}");
    }
  }

  @Test
  void everyEntryArrivesOnceAndInOrderDespiteLossDuplicatesAndReordering() {
    for (long seed = 1; seed <= 5; seed++) {
      Net net = new Net(seed, "n0", "n1", "n2");
      net.loss = 0.3;
      net.duplicate = 0.3;
      net.jitter = 200;
      List<Long> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        net.add("n0", i);
        sent.add((long) i);
        net.loop.runFor(net.random.nextLong(30));
      }
      net.loss = 0;
      net.loop.runFor(5000);
      for (String peer : List.of("n1", "n2")) {
        assertEquals(sent, net.handlers.get(peer).delivered.get("n0"), "seed " + seed + " at " + peer);
        assertEquals(200L, net.handlers.get(peer).latest.get("n0"), "latest state at " + peer);
      }
    }
  }

  @Test
  void aLostLatestStateIsResentWithoutNewEntries() {
    Net net = new Net(1, "n0", "n1");
    net.add("n0", 7);
    net.loop.runFor(1000);
    assertEquals(1L, net.handlers.get("n1").latest.get("n0"));
    // only the latest state changes, and its one message is lost
    net.loss = 1;
    PeerStreams<Long>.Link l = net.handlers.get("n0").streams.link("n1");
    l.setLatest(JsonLine.object().put("count", 9));
    Streamer.transmit(net.nodes.get("n0"), l, false);
    net.loop.runFor(100);
    net.loss = 0;
    net.loop.runFor(1000);
    assertEquals(9L, net.handlers.get("n1").latest.get("n0"));
    assertEquals(List.of(7L), net.handlers.get("n1").delivered.get("n0"));
  }

  @Test
  void nothingIsSentWhileAllIsAcknowledgedAndNeverSentEntriesWaitForTheWorkload() {
    Net net = new Net(1, "n0", "n1");
    net.add("n0", 1);
    net.loop.runFor(2000);
    long quiet = net.messages;
    net.loop.runFor(10_000);
    assertEquals(quiet, net.messages, "an idle, acknowledged link stays silent");
    // offered but not sent: the retransmission timer must not send it ahead of the workload's schedule
    net.handlers.get("n0").streams.link("n1").offer(2L);
    net.loop.runFor(10_000);
    assertEquals(quiet, net.messages);
    assertEquals(List.of(1L), net.handlers.get("n1").delivered.get("n0"));
  }

  @Test
  void aRestartedPeerIsAnnouncedAndItsStreamsStartOver() {
    Net net = new Net(1, "n0", "n1");
    for (int i = 0; i < 3; i++) net.add("n0", i);
    net.add("n1", 100);
    net.loop.runFor(1000);
    assertEquals(List.of(0L, 1L, 2L), net.handlers.get("n1").delivered.get("n0"));
    Streamer before = net.handlers.get("n1");
    net.start("n1", 2); // n1 crashes and comes back knowing nothing
    net.loop.runFor(1000);
    assertEquals(List.of("n1"), net.handlers.get("n0").restartsSeen, "n0 learnt of the restart without traffic of its own");
    assertEquals(List.of(), before.restartsSeen);
    // new entries flow both ways on fresh streams, from position 0
    net.add("n0", 3);
    net.add("n1", 101);
    net.loop.runFor(1000);
    assertEquals(List.of(3L), net.handlers.get("n1").delivered.get("n0"));
    assertEquals(List.of(100L, 101L), net.handlers.get("n0").delivered.get("n1"));
  }
}
