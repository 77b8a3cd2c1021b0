package glomers.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The package rules of README's architecture: the harness (a Maelstrom-compatible runner) and the node
 * side (runtime and workload handlers) meet only in the wire protocol, so either can be read, tested and
 * replaced alone. {@code protocol} is the shared codec and depends on neither; {@code sim}, which runs
 * nodes inside the harness's process, joins both and so is imported by neither. The CLI sits on top.
 *
 * <p>The rules are built for a root package, so that the same rules run against the production classes
 * under {@code glomers} and against {@code glomers.arch.planted}, a few test classes that break each
 * rule once: a rule that cannot fail would not show that the architecture holds.
 */
class ArchitectureTest {
  /** The rules under {@code root}, by name. */
  static Map<String, ArchRule> rules(String root) {
    String harness = root + ".harness..", node = root + ".node..", workloads = root + ".workloads..";
    String protocol = root + ".protocol..", cli = root + ".cli..", sim = root + ".sim..";
    return Map.of(
        "harness",
        noClasses().that().resideInAPackage(harness)
            .should().dependOnClassesThat(resideInAnyPackage(node, workloads, cli))
            .because("the harness tests nodes over the wire protocol only"),
        "node",
        noClasses().that().resideInAnyPackage(node, workloads)
            .should().dependOnClassesThat().resideInAnyPackage(harness, cli)
            .because("a node runs under the real Maelstrom too, without the harness"),
        "protocol",
        noClasses().that().resideInAPackage(protocol)
            .should().dependOnClassesThat().resideInAnyPackage(harness, node, workloads, cli, sim)
            .because("the codec is shared by both sides"),
        "sim",
        noClasses().that().resideInAnyPackage(harness, node, workloads, protocol)
            .should().dependOnClassesThat().resideInAPackage(sim)
            .because("the in-process simulation joins harness and nodes, so neither may depend on it"));
  }

  @Test
  void productionCodeKeepsEveryRule() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("glomers");
    assertTrue(main.contain("glomers.harness.run.HarnessRunner") && main.contain("glomers.node.NodeRuntime"), "imported");
    rules("glomers").values().forEach(r -> r.check(main));
  }

  @Test
  void eachRuleRejectsItsPlantedViolationAndOnlyThat() {
    String root = "glomers.arch.planted";
    JavaClasses planted = new ClassFileImporter().importPackages(root);
    Map<String, String> expected =
        Map.of(
            "harness", "harness.Checker",
            "node", "node.Handler",
            "protocol", "protocol.Codec",
            "sim", "harness.Checker");
    rules(root).forEach((name, rule) -> {
      EvaluationResult result = rule.evaluate(planted);
      assertTrue(result.hasViolation(), name + " passed on its planted violation");
      List<String> details = result.getFailureReport().getDetails();
      // every violation starts from the planted class (the first planted name in the line is the origin)
      for (String d : details) assertEquals(d.indexOf(root), d.indexOf(root + "." + expected.get(name)), name + ": " + d);
    });
    // the harness may not use the CLI either (its options live on the harness side)
    List<String> harness = rules(root).get("harness").evaluate(planted).getFailureReport().getDetails();
    assertTrue(harness.stream().anyMatch(d -> d.contains(root + ".cli.")), String.join("\n", harness));
  }
}
