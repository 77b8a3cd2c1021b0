package glomers.harness.workload.echo;

import static org.junit.jupiter.api.Assertions.*;

import glomers.harness.check.CheckContext;
import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EchoCheckerTest {
  static Map<String, Object> check(Op... ops) {
    return EchoWorkload.check(CheckContext.forTest(1, Map.of()), new History(List.of(ops)));
  }

  static Map<String, Object> reply(Object echo) {
    return Map.of("type", "echo_ok", "in_reply_to", 1L, "echo", echo);
  }

  @Test
  void validWhenEveryOkEchoesItsInvocation() {
    Op a = Op.invoke(0, "echo", "Please echo 1");
    Op b = Op.invoke(1, "echo", "Please echo 2");
    assertEquals(true, check(a, b, b.complete(OpType.OK, reply("Please echo 2")), a.complete(OpType.OK,
        reply("Please echo 1"))).get("valid?"));
  }

  @Test
  void alteredEchoIsInvalid() {
    Op a = Op.invoke(0, "echo", "Please echo 1");
    Map<String, Object> r = check(a, a.complete(OpType.OK, reply("Please echo 1!")));
    assertEquals(false, r.get("valid?"));
    assertEquals(1, ((List<?>) r.get("errors")).size());
  }

  @Test
  void integerVersusStringIsInvalid() {
    Op a = Op.invoke(0, "echo", 1L);
    assertEquals(false, check(a, a.complete(OpType.OK, reply(1.0))).get("valid?"));
  }

  @Test
  void definiteFailIsAnErrorButInfoIsNotChecked() {
    Op a = Op.invoke(0, "echo", "Please echo 1");
    assertEquals(false, check(a, a.complete(OpType.FAIL, "Please echo 1")).get("valid?"));
    Op b = Op.invoke(0, "echo", "Please echo 3");
    assertEquals(true, check(b, b.complete(OpType.INFO, "Please echo 3").withError("net-timeout")).get("valid?"));
    assertEquals(true, check(b).get("valid?"), "pending invocations are not checked");
  }
}
