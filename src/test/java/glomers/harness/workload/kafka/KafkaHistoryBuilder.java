package glomers.harness.workload.kafka;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds hand-made kafka histories for checker tests; each entry is 1 ms after the previous one. */
final class KafkaHistoryBuilder {
  private final List<Op> ops = new ArrayList<>();
  private long time;

  private Op add(Op op) {
    time += 1_000_000;
    Op o = op.withTime(time);
    ops.add(o);
    return o;
  }

  Op invoke(long p, String f, Object value) {
    return add(Op.invoke(p, f, value));
  }

  Op complete(Op inv, OpType type, Object value) {
    return add(inv.complete(type, value));
  }

  static List<Object> sendValue(String k, Object v) {
    return List.of(List.of("send", k, v));
  }

  Op invokeSend(long p, String k, long v) {
    return invoke(p, "send", sendValue(k, v));
  }

  Op okSend(Op inv, long offset) {
    List<?> mop = (List<?>) ((List<?>) inv.value()).get(0);
    return complete(inv, OpType.OK, sendValue((String) mop.get(1), List.of(offset, mop.get(2))));
  }

  KafkaHistoryBuilder send(long p, String k, long v, long offset) {
    okSend(invokeSend(p, k, v), offset);
    return this;
  }

  KafkaHistoryBuilder sendFail(long p, String k, long v) {
    Op inv = invokeSend(p, k, v);
    complete(inv, OpType.FAIL, inv.value());
    return this;
  }

  KafkaHistoryBuilder sendInfo(long p, String k, long v) {
    Op inv = invokeSend(p, k, v);
    add(inv.complete(OpType.INFO, inv.value()).withError("net-timeout"));
    return this;
  }

  Op invokePoll(long p) {
    return invoke(p, "poll", List.of(List.of("poll")));
  }

  /** pairs: k, offset, value, k, offset, value … */
  Op okPoll(Op inv, Object... pairs) {
    Map<String, Object> byKey = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 3) {
      @SuppressWarnings("unchecked")
      List<Object> l = (List<Object>) byKey.computeIfAbsent((String) pairs[i], x -> new ArrayList<>());
      l.add(Arrays.asList(((Number) pairs[i + 1]).longValue(), ((Number) pairs[i + 2]).longValue()));
    }
    return complete(inv, OpType.OK, List.of(List.of("poll", byKey)));
  }

  KafkaHistoryBuilder poll(long p, Object... pairs) {
    okPoll(invokePoll(p), pairs);
    return this;
  }

  /** A poll returning the given keys with empty lists. */
  KafkaHistoryBuilder pollEmpty(long p, String... keys) {
    Map<String, Object> byKey = new LinkedHashMap<>();
    for (String k : keys) byKey.put(k, List.of());
    complete(invokePoll(p), OpType.OK, List.of(List.of("poll", byKey)));
    return this;
  }

  KafkaHistoryBuilder assign(long p, String... keys) {
    Op inv = invoke(p, "assign", List.of((Object[]) keys));
    complete(inv, OpType.OK, inv.value());
    return this;
  }

  KafkaHistoryBuilder crash(long p) {
    Op inv = invoke(p, "crash", null);
    complete(inv, OpType.INFO, null);
    return this;
  }

  History build() {
    return new History(ops);
  }
}
