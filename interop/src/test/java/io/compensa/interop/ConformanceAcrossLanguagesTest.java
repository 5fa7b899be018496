package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.compensa.host.conformance.ConformanceCheck;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.conformance.SampleConfigs;
import io.compensa.host.launch.LaunchOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite passes, with no check skipped, on the Java (localfs), Go (go-kv,
 * go-plugin), Python (python-notes, grpcio) and Node.js (node-tasks, @grpc/grpc-js) samples,
 * through the Java host, on each transport: the plain Unix socket every apply uses, TCP with
 * AutoMTLS (the default on TCP), and a Unix socket with AutoMTLS. (A go-plugin plugin picks its own
 * network: asked for TCP, it still answers with a Unix socket, as go-plugin does on Unix.)
 */
@DisplayName("Conformance of the Java, Go, Python and Node.js samples on every transport")
class ConformanceAcrossLanguagesTest {
  @TempDir Path root;

  /** The samples, with checks each must pass beyond the common ones. */
  enum Sample {
    JAVA_LOCALFS(Interop.LOCALFS_PLUGIN, List.of("inverse-update localfs_file")) {
      @Override
      void require() {
        Interop.require(
            Interop.LOCALFS_JAR,
            false,
            "the localfs plugin's jar",
            "interop/build.sh java (or mvn -pl sample-plugins/localfs -am package)");
      }
    },
    GO_KV(
        Interop.GO_PLUGIN,
        List.of(
            "inverse-update gokv_entry",
            "compensate-create gokv_counter",
            "compensate-update gokv_counter",
            "compensate-delete gokv_counter")) {
      @Override
      void require() {
        Interop.requireGoPlugin();
      }
    },
    PYTHON_NOTES(Interop.PYTHON_PLUGIN, List.of("inverse-update pynotes_note")) {
      @Override
      void require() {
        Interop.requirePythonPlugin();
      }
    },
    NODE_TASKS(
        Interop.NODE_PLUGIN,
        List.of(
            "inverse-update nodetasks_task",
            "compensate-create nodetasks_label",
            "compensate-update nodetasks_label",
            "compensate-delete nodetasks_label")) {
      @Override
      void require() {
        Interop.requireNodePlugin();
      }
    };

    final Path launcher;
    final List<String> checks;

    Sample(Path launcher, List<String> checks) {
      this.launcher = launcher;
      this.checks = checks;
    }

    abstract void require();
  }

  /** The transports every sample is checked on. */
  enum Transport {
    UNIX_PLAIN(LaunchOptions.Transport.UNIX, LaunchOptions.AutoMtls.NEVER),
    TCP_AUTO_MTLS(LaunchOptions.Transport.TCP, LaunchOptions.AutoMtls.TCP_ONLY),
    UNIX_AUTO_MTLS(LaunchOptions.Transport.UNIX, LaunchOptions.AutoMtls.ALWAYS);

    final LaunchOptions.Transport transport;
    final LaunchOptions.AutoMtls autoMtls;

    Transport(LaunchOptions.Transport transport, LaunchOptions.AutoMtls autoMtls) {
      this.transport = transport;
      this.autoMtls = autoMtls;
    }
  }

  static Stream<Arguments> samplesAndTransports() {
    List<Arguments> all = new ArrayList<>();
    for (Sample sample : Sample.values()) {
      for (Transport transport : Transport.values()) {
        all.add(Arguments.of(sample, transport));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("samplesAndTransports")
  void everySamplePassesEveryCheckOnEveryTransport(Sample sample, Transport transport) {
    sample.require();
    ConformanceReport report =
        run(
            LaunchOptions.builder(List.of(sample.launcher.toString()))
                .transport(transport.transport)
                .autoMtls(transport.autoMtls),
            Map.of());

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.checks())
        .extracting(ConformanceCheck::name)
        .startsWith("cookie", "handshake", "health", "describe", "reflection")
        .endsWith("driver-error", "shutdown", "sigint", "orphan-guard");
    assertThat(report.passed())
        .extracting(c -> c.name() + " " + c.type())
        .contains("crud " + sample.checks.get(0).split(" ")[1])
        .containsAll(sample.checks);
    boolean tls = transport.autoMtls != LaunchOptions.AutoMtls.NEVER;
    assertThat(report.passed().get(1).detail())
        .as("the handshake check says whether AutoMTLS was used")
        .matches(d -> d.contains("AutoMTLS") == tls, tls ? "mentions AutoMTLS" : "plain");
  }

  @Test
  void sampleConfigsFromAFileReplaceTheManifestsOwn() {
    Interop.requireGoPlugin();
    var samples =
        SampleConfigs.parse(
            """
        {"gokv_entry": [{"key": "from-file", "value": "one"}, {"key": "from-file", "value": "two"}]}""",
            "test");

    ConformanceReport report =
        run(LaunchOptions.builder(List.of(Interop.GO_PLUGIN.toString())), samples);

    assertThat(report.failed()).as(report.text()).isEmpty();
    assertThat(report.passed())
        .filteredOn(c -> "crud".equals(c.name()) && "gokv_entry".equals(c.type()))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("from-file"));
  }

  private ConformanceReport run(LaunchOptions.Builder options, Map<String, List<Struct>> samples) {
    return new ConformanceSuite(
            options.pluginConfigJson(Interop.rootConfig(root)).build(), samples, check -> {})
        .run();
  }
}
