package glomers.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test utility: the harness's test-only knobs for every run of one test class, set before its first test
 * and restored after its last. The harness reads them as system properties, which are global to the test
 * JVM, so a class that sets one by hand and fails before clearing it would leak it into every later class;
 * this extension always restores.
 *
 * <p>Example: {@code @RunSettings(finalQuietMs = 1000) class KafkaEndToEndTest { … }} for runs whose point
 * is the node, not the length of Maelstrom's quiet period (which {@code glomers.cli.SimCommandTest} proves).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RunSettings.Apply.class)
public @interface RunSettings {
  /** The quiet period before the final phase, in ms; negative keeps Maelstrom's 10 s. */
  long finalQuietMs() default -1;

  /** False skips report.html (the report has its own tests; writing it costs a loaded machine seconds). */
  boolean reports() default true;

  /** Sets the properties of the annotated class and puts the previous values back afterwards. */
  final class Apply implements BeforeAllCallback, AfterAllCallback {
    private static final String QUIET = "glomers.final-quiet-ms";
    private static final String NO_REPORT = "glomers.report.skip";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RunSettings.class);

    /** The values the properties had before the class. */
    private record Saved(String quiet, String noReport) {}

    @Override
    public void beforeAll(ExtensionContext context) {
      RunSettings s = context.getRequiredTestClass().getAnnotation(RunSettings.class);
      context.getStore(NS).put(Saved.class, new Saved(System.getProperty(QUIET), System.getProperty(NO_REPORT)));
      if (s.finalQuietMs() >= 0) System.setProperty(QUIET, Long.toString(s.finalQuietMs()));
      if (!s.reports()) System.setProperty(NO_REPORT, "true");
    }

    @Override
    public void afterAll(ExtensionContext context) {
      Saved saved = context.getStore(NS).get(Saved.class, Saved.class);
      restore(QUIET, saved.quiet());
      restore(NO_REPORT, saved.noReport());
    }

    private static void restore(String key, String previous) {
      if (previous == null) System.clearProperty(key);
      else System.setProperty(key, previous);
    }
  }
}
