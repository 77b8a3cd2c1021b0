package glomers.harness.net;

import glomers.protocol.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What the harness does with one line a node wrote: check it against the closed envelope schema
 * {@code {src, dest, body, id?}} with registered endpoints (docs/maelstrom.md#wire-format-and-envelope-validation)
 * and, when it passes, send it. Shared by every way of reaching a node (process stdout, in-process).
 */
public final class WireLine {
  private static final Set<String> ENVELOPE_KEYS = Set.of("src", "dest", "body", "id");
  /** Where a node author reads the rule a rejected line broke. */
  private static final String WIRE_RULE = "docs/maelstrom.md#wire-format-and-envelope-validation: ";

  private WireLine() {}

  /** Validates and sends one line; returns a description of the violated rule, or null when sent. */
  public static String accept(String line, Network net) {
    String problem = check(line, net);
    return problem == null ? null : WIRE_RULE + problem;
  }

  private static String check(String line, Network net) {
    Object parsed;
    try {
      parsed = Json.parsePlain(line);
    } catch (IOException e) {
      return "every stdout line must be one JSON object (not well-formed JSON: " + firstLine(e.getMessage()) + ")";
    }
    if (!(parsed instanceof Map<?, ?> m)) return "a stdout line must be a JSON object {src, dest, body, id?}";
    for (Object k : m.keySet()) {
      if (!ENVELOPE_KEYS.contains(k)) {
        return "the envelope is a closed schema {src, dest, body, id?}; key \"" + k + "\" is disallowed";
      }
    }
    if (!(m.get("src") instanceof String src)) return "envelope src must be a string";
    if (!(m.get("dest") instanceof String dest)) return "envelope dest must be a string";
    if (!m.containsKey("body")) return "envelope body is required";
    Object body = m.get("body");
    if (body == null) body = new java.util.LinkedHashMap<String, Object>();
    if (!(body instanceof Map)) return "envelope body must be a JSON object";
    if (m.containsKey("id") && !(m.get("id") instanceof Long || m.get("id") instanceof java.math.BigInteger)) {
      return "envelope id, if present, must be an integer";
    }
    try {
      net.send(src, dest, body);
    } catch (UnknownDestinationException e) {
      if (!net.registered(src)) return "src \"" + src + "\" is not a registered node/client/service";
      if (dest.startsWith("c")) {
        if (net.closedWhilePaused(dest, src)) return null; // discarded: late by the nemesis, not the node
        return "dest \"" + dest + "\" is not an open client — it was closed (a request that timed out makes"
            + " Maelstrom replace the client; the init client closes after its 10 s timeout) or never existed;"
            + " a late reply to a closed client silences the node (docs/maelstrom.md#timeouts-and-client-reuse)";
      }
      return "dest \"" + dest + "\" is not a registered node, client or service (Invalid dest)";
    }
    return null;
  }

  /** The loud diagnostic for a node silenced by {@code line}. */
  public static String silencedDiagnostic(String node, String line, String rule) {
    return "node " + node + " wrote an invalid line to stdout: " + abbreviate(line) + "\n    rule: " + rule
        + "\n    effect: as in Maelstrom v0.2.3, " + node + "'s stdout is ignored for the rest of the test"
        + " (silenced), so every later request to it times out; the line is not counted in :net";
  }

  private static String abbreviate(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "…" : s;
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
