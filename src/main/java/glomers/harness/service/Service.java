package glomers.harness.service;

import java.util.Map;

/**
 * A Maelstrom built-in service: a pure request → reply function run by {@link ServiceRunner} on its own
 * thread (so calls are serialised). Implementations: {@link LinKv}, {@link SeqKv}, {@link LwwKv},
 * {@link LinTso}.
 */
public interface Service {
  /** The service's node id, e.g. {@code "seq-kv"}. */
  String id();

  /**
   * Handles one request from {@code src}; returns the reply body without {@code in_reply_to}, or null for
   * a request Maelstrom would not answer (unknown type: the service thread throws and the caller times
   * out).
   */
  Map<String, Object> handle(String src, Map<String, Object> body);
}
