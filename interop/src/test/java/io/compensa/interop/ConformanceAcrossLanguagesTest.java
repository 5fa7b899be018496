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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance suite passes on the Go (go-plugin), Python and Node.js samples, through the Java
 * host, with a second sample config per type from a file so Update and its inverses are checked
 * too. The Node.js sample (on @grpc/grpc-js, whose HTTP/2 layer refuses a malformed :authority)
 * passes on each transport: the plain Unix socket every apply uses, TCP with AutoMTLS (the default
 * on TCP), and a Unix socket with AutoMTLS.
 */
@DisplayName("Conformance of the Go, Python and Node.js samples")
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

  @ParameterizedTest(name = "{0}")
  @EnumSource(NodeTransport.class)
  void nodeTasksConformsOnEveryTransportIncludingItsPluginCompensation(NodeTransport transport) {
    Interop.requireNodePlugin();
    ConformanceReport report =
        run(
            transport.options(LaunchOptions.builder(List.of(Interop.NODE_PLUGIN.toString()))),
            java.util.Map.of());

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.passed())
        .extracting(c -> c.name() + " " + c.type())
        .contains(
            "handshake null",
            "health null",
            "crud nodetasks_task",
            "idempotent-create nodetasks_task",
            "inverse-create nodetasks_task",
            "inverse-update nodetasks_task",
            "inverse-delete nodetasks_task",
            "crud nodetasks_label",
            "compensate-create nodetasks_label",
            "compensate-update nodetasks_label",
            "compensate-delete nodetasks_label",
            "shutdown null");
  }

  /** The transports a Node.js plugin is checked on. */
  enum NodeTransport {
    UNIX_PLAIN {
      @Override
      LaunchOptions.Builder options(LaunchOptions.Builder builder) {
        return builder
            .transport(LaunchOptions.Transport.UNIX)
            .autoMtls(LaunchOptions.AutoMtls.NEVER);
      }
    },
    TCP_AUTO_MTLS {
      @Override
      LaunchOptions.Builder options(LaunchOptions.Builder builder) {
        return builder.transport(LaunchOptions.Transport.TCP);
      }
    },
    UNIX_AUTO_MTLS {
      @Override
      LaunchOptions.Builder options(LaunchOptions.Builder builder) {
        return builder
            .transport(LaunchOptions.Transport.UNIX)
            .autoMtls(LaunchOptions.AutoMtls.ALWAYS);
      }
    };

    abstract LaunchOptions.Builder options(LaunchOptions.Builder builder);
  }

  private ConformanceReport run(
      LaunchOptions.Builder options,
      java.util.Map<String, List<com.google.protobuf.Struct>> samples) {
    return new ConformanceSuite(
            options.pluginConfigJson(Interop.rootConfig(root)).build(), samples, check -> {})
        .run();
  }
}
