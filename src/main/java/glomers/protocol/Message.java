package glomers.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Maelstrom envelope: {@code {"src":…, "dest":…, "body":{…}}}
 * (docs/maelstrom.md#wire-format-and-envelope-validation). Incoming envelopes may also carry Maelstrom's internal
 * {@code id}; it is ignored. The body is mutable Jackson tree; treat a received body as read-only.
 */
public record Message(String src, String dest, ObjectNode body) {

  public String type() {
    JsonNode t = body.get("type");
    return t != null && t.isTextual() ? t.textValue() : null;
  }

  /** The body's {@code msg_id}, or -1 when absent or not an integer. */
  public long msgId() {
    JsonNode n = body.get("msg_id");
    return n != null && n.canConvertToLong() && n.isIntegralNumber() ? n.longValue() : -1;
  }

  /** The body's {@code in_reply_to}, or -1 when absent or not an integer. */
  public long inReplyTo() {
    JsonNode n = body.get("in_reply_to");
    return n != null && n.isIntegralNumber() ? n.longValue() : -1;
  }

  /** The envelope as one compact JSON line (no trailing newline). */
  public String toLine() {
    ObjectNode env = JsonLine.object();
    env.put("src", src);
    env.put("dest", dest);
    env.set("body", body);
    return JsonLine.write(env);
  }
}
