package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.conformance.ConformanceCheck;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.conformance.SampleConfigs;
import io.compensa.host.launch.LaunchOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite passes on the Go (go-plugin) and Python samples, through the Java host,
 * with a second sample config per type from a file so Update and its inverses are checked too.
 */
@DisplayName("Conformance of the Go and Python samples")
class ConformanceAcrossLanguagesTest {
  @TempDir Path root;

  @Test
  void goKvConformsUnderAutoMtlsIncludingItsPluginCompensation() {
    Interop.requireGoPlugin();
    var samples =
        SampleConfigs.parse(
            """
        {"gokv_entry": [{"key": "greeting", "value": "hello"}, {"key": "greeting", "value": "bonjour"}],
         "gokv_counter": [{"name": "visits", "value": 1}, {"name": "visits", "value": 5}]}""",
            "test");

    ConformanceReport report =
        run(
            LaunchOptions.builder(List.of(Interop.GO_PLUGIN.toString()))
                .autoMtls(LaunchOptions.AutoMtls.ALWAYS),
            samples);

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.passed())
        .extracting(c -> c.name() + " " + c.type())
        .contains(
            "inverse-update gokv_entry",
            "compensate-create gokv_counter",
            "compensate-update gokv_counter",
            "compensate-delete gokv_counter",
            "shutdown null");
  }

  @Test
  void pythonNotesConformsWithItsFinalizerCalledAfterEachStep() {
    Interop.requirePythonPlugin();
    var samples =
        SampleConfigs.parse(
            """
        {"pynotes_note": [{"title": "Compensa sample", "body": "hello"},
                          {"title": "Compensa sample", "body": "hello again"}]}""",
            "test");

    ConformanceReport report =
        run(LaunchOptions.builder(List.of(Interop.PYTHON_PLUGIN.toString())), samples);

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.passed())
        .extracting(ConformanceCheck::name)
        .contains(
            "cookie",
            "crud",
            "idempotent-create",
            "idempotent-delete",
            "inverse-create",
            "inverse-update",
            "inverse-delete",
            "shutdown");
  }

  private ConformanceReport run(
      LaunchOptions.Builder options,
      java.util.Map<String, List<com.google.protobuf.Struct>> samples) {
    return new ConformanceSuite(
            options.pluginConfigJson(Interop.rootConfig(root)).build(), samples, check -> {})
        .run();
  }
}
