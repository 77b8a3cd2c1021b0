package glomers.workloads.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The one node-to-node message ({@code bc}), beside the stream fields of {@link
 * glomers.node.stream.PeerStreams}: the link's unacknowledged values ({@code v}), which of them the hub
 * should relay ({@code r}: indices into {@code v}), a leaf's send time ({@code t}) and the hub's phase echo
 * for it ({@code p}).
 */
record Gossip(List<Entry> entries, Long stamp, Long echo) {
  static final String TYPE = "bc";

  /** A value on a link; {@code relay}: the receiving hub should pass it on (hybrid). */
  record Entry(long value, boolean relay) {}

  void writeTo(ObjectNode b) {
    ArrayNode v = b.putArray("v");
    ArrayNode r = null;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      v.add(e.value());
      if (e.relay()) (r == null ? r = b.putArray("r") : r).add(i);
    }
    if (stamp != null) b.put("t", stamp);
    if (echo != null) b.put("p", echo);
  }

  static Gossip readFrom(ObjectNode b) {
    JsonNode v = b.path("v");
    boolean[] relay = new boolean[v.size()];
    for (JsonNode i : b.path("r")) if (i.asInt(-1) >= 0 && i.asInt() < relay.length) relay[i.asInt()] = true;
    List<Entry> entries = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) entries.add(new Entry(v.get(i).asLong(), relay[i]));
    return new Gossip(entries, b.has("t") ? b.get("t").asLong() : null, b.has("p") ? b.get("p").asLong() : null);
  }
}
