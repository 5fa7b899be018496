package io.compensa.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plugins the host attaches to instead of launching: COMPENSA_REATTACH_PLUGINS (a JSON object
 * from configured names to handshake lines) or a plugin's "reattach" key, and the errors that name
 * what is wrong.
 */
class ReattachConfigTest {
  private static final String LINE = "1|1|unix|/tmp/x/plugin.sock|grpc";

  @TempDir Path dir;

  private Path config(String pluginExtra) throws Exception {
    Path file = dir.resolve("compensa.json");
    Files.writeString(
        file,
        "{\"plugins\": {\"localfs\": {\"command\": [\"./never\"]"
            + pluginExtra
            + "}, \"other\": {\"command\": [\"./other\"]}}}");
    return file;
  }

  @Test
  void theVariableAttachesTheNamedPluginAndLeavesTheOthersToLaunch() throws Exception {
    HostConfig config = HostConfigReader.read(config(""), "{\"localfs\": \"" + LINE + "\"}");

    assertThat(config.plugins().get("localfs").reattach()).contains(LINE);
    assertThat(config.plugins().get("other").reattach()).isEmpty();
  }

  @Test
  void theConfigurationKeyAttachesToo() throws Exception {
    HostConfig config = HostConfigReader.read(config(", \"reattach\": \"" + LINE + "\""), null);

    assertThat(config.plugins().get("localfs").reattach()).contains(LINE);
  }

  @Test
  void aNameTheConfigurationDoesNotDeclareIsRefusedNamingThoseItDoes() throws Exception {
    Path file = config("");
    assertThatThrownBy(() -> HostConfigReader.read(file, "{\"notes\": \"" + LINE + "\"}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("COMPENSA_REATTACH_PLUGINS names plugin \"notes\"")
        .hasMessageContaining("[localfs, other]");
  }

  @Test
  void malformedValuesAreRefusedSayingWhatIsExpected() throws Exception {
    Path file = config("");
    assertThatThrownBy(() -> HostConfigReader.read(file, "localfs=" + LINE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("COMPENSA_REATTACH_PLUGINS");
    assertThatThrownBy(() -> HostConfigReader.read(file, "{\"localfs\": \"1|1|unix\"}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("the entry of \"localfs\"");
    assertThatThrownBy(
            () -> HostConfigReader.read(file, "{\"localfs\": \"" + LINE + "|MIIBcert\"}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AutoMTLS");
    assertThatThrownBy(() -> HostConfigReader.read(config(", \"reattach\": \"nonsense\""), null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("plugins.localfs.reattach");
  }
}
