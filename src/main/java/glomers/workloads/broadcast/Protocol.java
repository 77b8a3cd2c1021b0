package glomers.workloads.broadcast;

/** How values travel between nodes; one implementation per protocol: {@link Star}, {@link Direct}, {@link Hybrid}. */
interface Protocol {
  /** Opens the links of this node's life {@code incarnation} and starts the protocol's timers. */
  void start(long incarnation);

  /** A value a client gave this node, now durable here; the protocol owes it to the others. */
  void clientValue(long v);

  /** A value new to this node that arrived from {@code from}; {@code relay}: the origin asked the hub to pass it on. */
  void peerValue(String from, long v, boolean relay);

  /** A {@link Gossip} message from a peer. */
  void receive(glomers.protocol.Message msg);
}
