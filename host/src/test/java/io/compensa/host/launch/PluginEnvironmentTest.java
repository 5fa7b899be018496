package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.compensa.host.testing.FakePlugins;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plugin finds in its environment: the protocol variables, minus what the host withholds.
 */
class PluginEnvironmentTest {
  @TempDir Path dir;

  @Test
  void thePluginGetsTheLaunchProtocolVariables() {
    List<String> environment =
        environmentOf(
            options().protocolVersions(List.of(1, 2)).pluginConfigJson("{\"root\": \"/srv\"}"));

    assertThat(environment)
        .contains(
            "COMPENSA_PLUGIN_MAGIC_COOKIE=d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52",
            "PLUGIN_PROTOCOL_VERSIONS=1,2",
            "PLUGIN_MIN_PORT=10000",
            "PLUGIN_MAX_PORT=25000",
            "COMPENSA_HOST_PID=" + ProcessHandle.current().pid(),
            "COMPENSA_PLUGIN_CONFIG={\"root\": \"/srv\"}")
        .anySatisfy(line -> assertThat(line).startsWith("PLUGIN_UNIX_SOCKET_DIR=/tmp/cpa"));
  }

  @Test
  void byDefaultThePluginInheritsTheHostEnvironment() {
    assertThat(environmentOf(options())).contains("COMPENSA_TEST_SECRET=s3cr3t");
  }

  @Test
  void underTcpThereIsNoSocketDirectory() {
    List<String> environment = environmentOf(options().transport(LaunchOptions.Transport.TCP));

    assertThat(environment).noneMatch(line -> line.startsWith("PLUGIN_UNIX_SOCKET_DIR="));
    assertThat(environment).noneMatch(line -> line.startsWith("COMPENSA_PLUGIN_CONFIG="));
  }

  @Test
  void anAllowlistWithholdsEveryOtherHostVariable() {
    List<String> environment =
        environmentOf(options().environmentPolicy(EnvironmentPolicy.allowOnly(List.of("PATH"))));

    assertThat(System.getenv("COMPENSA_TEST_SECRET")).as("set by the pom").isNotNull();
    assertThat(environment).anyMatch(line -> line.startsWith("PATH="));
    assertThat(environment).noneMatch(line -> line.startsWith("COMPENSA_TEST_SECRET="));
  }

  @Test
  void aDenylistWithholdsTheListedHostVariables() {
    List<String> environment =
        environmentOf(
            options().environmentPolicy(EnvironmentPolicy.deny(List.of("COMPENSA_TEST_*"))));

    assertThat(System.getenv("COMPENSA_TEST_SECRET")).as("set by the pom").isNotNull();
    assertThat(environment).anyMatch(line -> line.startsWith("PATH="));
    assertThat(environment).noneMatch(line -> line.startsWith("COMPENSA_TEST_SECRET="));
  }

  private LaunchOptions.Builder options() {
    Path plugin = FakePlugins.install("prints-environment", dir);
    return LaunchOptions.builder(List.of(plugin.toString())).stderrTailLines(1000);
  }

  private static List<String> environmentOf(LaunchOptions.Builder options) {
    return catchThrowableOfType(
            PluginLaunchException.class, () -> new PluginLauncher().launch(options.build()))
        .stderrTail();
  }
}
