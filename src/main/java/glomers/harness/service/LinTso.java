package glomers.harness.service;

import java.util.Map;

/** {@code lin-tso}: {@code ts} → {@code ts_ok} with 0, 1, 2 … (a linearizable counter). */
public final class LinTso implements Service {
  private long next;

  @Override
  public String id() {
    return "lin-tso";
  }

  @Override
  public Map<String, Object> handle(String src, Map<String, Object> body) {
    if (!"ts".equals(body.get("type"))) return null;
    Map<String, Object> r = Kv.ok("ts_ok");
    r.put("ts", next++);
    return r;
  }
}
