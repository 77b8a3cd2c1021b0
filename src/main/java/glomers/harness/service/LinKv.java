package glomers.harness.service;

import java.util.Map;

/** {@code lin-kv}: one atomic map; each request applied at delivery time → linearizable. */
public final class LinKv implements Service {
  private Map<Object, Object> state = Kv.EMPTY;

  @Override
  public String id() {
    return "lin-kv";
  }

  @Override
  public Map<String, Object> handle(String src, Map<String, Object> body) {
    Kv.Result r = Kv.apply(state, body, true);
    state = r.state();
    return r.reply();
  }
}
