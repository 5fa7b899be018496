package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceType;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every sample plugin, launched without COMPENSA_PLUGIN_CONFIG, answers Describe (so {@code
 * compensa describe PLUGIN} works on a bare command), and its driver calls fail FAILED_PRECONDITION
 * naming the variable instead of the plugin refusing to start.
 */
@DisplayName("Every sample answers Describe without a configuration")
class DescribeWithoutConfigTest {
  /** The samples, each with the launcher to run and what the test needs built first. */
  enum Sample {
    LOCALFS(Interop.LOCALFS_PLUGIN, "localfs") {
      @Override
      void require() {
        Interop.require(
            Interop.LOCALFS_JAR,
            false,
            "the localfs plugin's jar",
            "interop/build.sh java (or mvn -pl sample-plugins/localfs -am package)");
      }
    },
    GO_KV(Interop.GO_PLUGIN, "go-kv") {
      @Override
      void require() {
        Interop.requireGoPlugin();
      }
    },
    PYTHON_NOTES(Interop.PYTHON_PLUGIN, "python-notes") {
      @Override
      void require() {
        Interop.requirePythonPlugin();
      }
    },
    NODE_TASKS(Interop.NODE_PLUGIN, "node-tasks") {
      @Override
      void require() {
        Interop.requireNodePlugin();
      }
    };

    final Path launcher;
    final String name;

    Sample(Path launcher, String name) {
      this.launcher = launcher;
      this.name = name;
    }

    abstract void require();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Sample.class)
  void describeWorksAndADriverCallNamesTheMissingVariable(Sample sample) {
    sample.require();
    try (LaunchedPlugin plugin =
        new PluginLauncher()
            .launch(
                // no pluginConfigJson: the host sets no COMPENSA_PLUGIN_CONFIG
                LaunchOptions.builder(List.of(sample.launcher.toString())).build())) {
      Manifest manifest = plugin.manifest();
      assertThat(manifest.getName()).isEqualTo(sample.name);
      assertThat(manifest.getResourceTypesList()).isNotEmpty();

      ResourceType type = manifest.getResourceTypes(0);
      Struct config =
          type.getSampleConfigsCount() > 0 ? type.getSampleConfigs(0) : Struct.getDefaultInstance();
      ReadRequest read =
          ReadRequest.newBuilder()
              .setResource(
                  ResourceSpec.newBuilder()
                      .setName("probe")
                      .setType(type.getName())
                      .setConfig(config))
              .build();
      assertThatThrownBy(() -> plugin.client().read(read))
          .isInstanceOfSatisfying(
              PluginCallException.class,
              e -> {
                assertThat(e.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("COMPENSA_PLUGIN_CONFIG");
                assertThat(e.driverError()).as("a typed driver error").isPresent();
              });
    }
  }
}
