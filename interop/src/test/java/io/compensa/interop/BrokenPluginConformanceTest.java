package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.conformance.ConformanceCheck;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.launch.LaunchOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each conformance check catches the rule it is named for: a broken fixture (the node-tasks sample
 * with one rule broken, interop/fixtures/broken-node-tasks.js) fails exactly that check, with a
 * message that says what to do, and passes every other.
 */
@DisplayName("Broken plugins fail the conformance check named for what they break")
class BrokenPluginConformanceTest {
  static final Path FIXTURE = Interop.REPOSITORY.resolve("interop/fixtures/broken-node-tasks.js");

  @TempDir Path root;

  /** The faults, each with the check it must fail and words its message must hold. */
  enum Fault {
    NO_REFLECTION("no-reflection", "reflection", "serve server reflection"),
    REFLECTION_WITHOUT_IMPORTS(
        "reflection-without-imports", "reflection", "which reflection never sent"),
    READ_NEEDS_PROVIDER_ID(
        "read-needs-provider-id", "read-without-provider-id", "answer it, found or not found"),
    DIFF_UNSPECIFIED("diff-unspecified", "diff", "expected CHANGE_NONE"),
    UNTYPED_ERRORS("untyped-errors", "driver-error", "carries no compensa.v1.DriverError"),
    DIES_ON_SIGINT("dies-on-sigint", "sigint", "the plugin exited on SIGINT"),
    NO_ORPHAN_GUARD("no-orphan-guard", "orphan-guard", "after its host died");

    final String argument;
    final String check;
    final String says;

    Fault(String argument, String check, String says) {
      this.argument = argument;
      this.check = check;
      this.says = says;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Fault.class)
  void theBrokenRuleFailsItsCheckAndOnlyThatOne(Fault fault) {
    Interop.requireNodePlugin();
    ConformanceReport report =
        new ConformanceSuite(
                LaunchOptions.builder(List.of("node", FIXTURE.toString(), fault.argument))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .build(),
                Map.of(),
                check -> {})
            .run();

    assertThat(report.failed())
        .as(report.text())
        .isNotEmpty()
        .allSatisfy(
            check -> {
              assertThat(check.name()).isEqualTo(fault.check);
              assertThat(check.detail()).contains(fault.says);
            });
    assertThat(report.passed())
        .extracting(ConformanceCheck::name)
        .as("the fixture keeps every other rule")
        .contains("handshake", "crud", "shutdown")
        .doesNotContain(fault.check);
    assertThat(report.summary()).contains(report.failed().size() + " failed");
  }
}
