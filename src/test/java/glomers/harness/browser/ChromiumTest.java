package glomers.harness.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser tests' own driver: it must see a page's script errors, click, and leave no process behind. */
class ChromiumTest {
  @TempDir Path tmp;

  @Test
  void seesScriptErrorsClicksAndCleansUp() throws Exception {
    Path page = tmp.resolve("a.html");
    Path next = tmp.resolve("b.html");
    Files.writeString(next, "<!DOCTYPE html><title>b</title><p id=x>second</p>");
    Files.writeString(page, "<!DOCTYPE html><title>a</title><a id=go href=\"b.html\">go</a>"
        + "<script>console.error('said so'); setTimeout(function(){ null.boom(); }, 0);</script>");
    ProcessHandle browser;
    try (Chromium c = Chromium.start("the DevTools driver check", tmp)) {
      browser = ProcessHandle.current().children().filter(h -> h.info().command().orElse("").contains("chrom"))
          .findFirst().orElseThrow();
      c.navigate(page.toUri().toString());
      c.evaluate("new Promise(r => setTimeout(r, 200))");
      List<String> errors = c.errors();
      assertEquals(2, errors.size(), errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("console.error:") && e.contains("said so")), errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.startsWith("exception:") && e.contains("TypeError")), errors.toString());
      assertThrows(AssertionError.class, () -> c.evaluate("undefinedName.x"));
      c.whileLoading(() -> c.evaluate("document.getElementById('go').click()"));
      assertEquals("second", c.evaluate("document.getElementById('x').textContent"));
    }
    assertTrue(browser.onExit().isDone() || !browser.isAlive(), "chromium killed");
  }
}
