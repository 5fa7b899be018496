package io.compensa.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.conformance.ConformanceCheck;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.samples.credentials.CredentialsPlugin;
import io.compensa.samples.localfs.LocalFsPlugin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance suite through the test kit's one call: the Java samples pass, and each broken
 * fixture fails with the check it breaks named.
 */
class PluginConformanceTest {
  @TempDir Path scratch;

  @Test
  void localfsConformsWithEveryCheckPassing() {
    ConformanceReport report =
        PluginConformance.assertConforms(
            PluginConformance.javaCommand(LocalFsPlugin.class), json("root", scratch));

    assertThat(report.skipped()).isEmpty();
    assertThat(names(report.passed()))
        .contains(
            "cookie",
            "handshake",
            "health",
            "describe",
            "crud",
            "idempotent-create",
            "idempotent-delete",
            "inverse-create",
            "inverse-update",
            "inverse-delete",
            "shutdown");
  }

  @Test
  void localfsConformsOverTcpWithAutoMtls() {
    ConformanceReport report =
        PluginConformance.assertConforms(
            LaunchOptions.builder(PluginConformance.javaCommand(LocalFsPlugin.class))
                .pluginConfigJson(json("root", scratch))
                .transport(LaunchOptions.Transport.TCP)
                .build());

    assertThat(report.checks().get(1).detail()).startsWith("tcp ").contains("AutoMTLS");
  }

  @Test
  void credentialsConformsIncludingCompensateForItsBatchedRuleSetsAndItsUncompensableDelete() {
    ConformanceReport report =
        PluginConformance.assertConforms(
            PluginConformance.javaCommand(CredentialsPlugin.class),
            json("cloud", scratch.resolve("cloud.json")));

    assertThat(report.passed())
        .extracting(c -> c.name() + " " + c.type())
        .contains(
            "inverse-create cred_access_key",
            "none-delete cred_access_key",
            "compensate-create cred_rule_set",
            "compensate-update cred_rule_set",
            "compensate-delete cred_rule_set");
    assertThat(report.skipped()).as(report.text()).isEmpty();
  }

  @Test
  void aDeleteThatDoesNothingFailsInverseCreateBecauseReadStillFindsTheItem() {
    ConformanceReport report = run(BrokenPlugin.Flaw.INVERSE_DOES_NOT_UNDO);

    assertThat(failure(report, "inverse-create").detail()).contains("Read still finds");
  }

  @Test
  void aDeleteThatErrorsOnAMissingItemFailsIdempotentDeleteOnly() {
    ConformanceReport report = run(BrokenPlugin.Flaw.DELETE_ERRORS_WHEN_MISSING);

    assertThat(names(report.failed())).containsExactly("idempotent-delete");
    assertThat(failure(report, "idempotent-delete").detail()).contains("already gone failed");
  }

  @Test
  void aCreateThatIgnoresTheActionIdFailsIdempotentCreateAndTheRecoveryReadThatReliesOnIt() {
    ConformanceReport report = run(BrokenPlugin.Flaw.CREATE_NOT_IDEMPOTENT);

    // the fixture's Read cannot find an item without its provider id, so recover would repeat the
    // Create with the same action id, which makes a second item: both checks see the one flaw
    assertThat(names(report.failed()))
        .containsExactlyInAnyOrder("read-without-provider-id", "idempotent-create");
    assertThat(failure(report, "idempotent-create").detail()).contains("made another resource");
    assertThat(failure(report, "read-without-provider-id").detail())
        .contains("recover repeats the Create with the same action id");
  }

  @Test
  void aPluginThatLingersPastTheGracePeriodFailsShutdownAndTheOrphanGuardAndTheOneCallSaysSo() {
    List<String> command =
        PluginConformance.javaCommand(
            BrokenPlugin.class, BrokenPlugin.Flaw.IGNORES_SHUTDOWN.name());

    assertThatThrownBy(
            () ->
                PluginConformance.assertConforms(
                    LaunchOptions.builder(command).gracePeriod(Duration.ofSeconds(1)).build()))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("FAIL shutdown — still running PT1S after GRPCController/Shutdown")
        // the same flaw keeps it running after its host dies (the orphan guard's exit lingers too)
        .hasMessageContaining("FAIL orphan-guard — still running 10 s after its host died")
        .hasMessageContaining("2 failed");
  }

  @Test
  void theFixtureWithoutAFlawConforms() {
    assertThat(run(BrokenPlugin.Flaw.NONE).conforms()).isTrue();
  }

  private static ConformanceReport run(BrokenPlugin.Flaw flaw) {
    return PluginConformance.run(
        LaunchOptions.builder(PluginConformance.javaCommand(BrokenPlugin.class, flaw.name()))
            .build());
  }

  private static ConformanceCheck failure(ConformanceReport report, String check) {
    return report.failed().stream()
        .filter(c -> c.name().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no FAIL " + check + " in\n" + report.text()));
  }

  private static List<String> names(List<ConformanceCheck> checks) {
    return checks.stream().map(ConformanceCheck::name).toList();
  }

  private static String json(String key, Path path) {
    return "{\"" + key + "\": \"" + path.toString().replace("\\", "\\\\") + "\"}";
  }
}
