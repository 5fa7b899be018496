package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.PluginConfig;
import org.junit.jupiter.api.Test;

class PluginConfigReaderTest {

  @Test
  void noConfigurationIsAnEmptyOne() throws Exception {
    assertThat(PluginConfigReader.read(null)).isEqualTo(PluginConfig.empty());
    assertThat(PluginConfigReader.read("  ")).isEqualTo(PluginConfig.empty());
  }

  @Test
  void aJsonObjectBecomesTheConfiguration() throws Exception {
    PluginConfig config = PluginConfigReader.read("{\"root\": \"/srv\", \"limit\": 3}");

    assertThat(config.string("root")).contains("/srv");
    assertThat(config.get("limit")).contains(3.0);
  }

  @Test
  void malformedJsonIsExplainedNamingTheVariable() {
    assertThatThrownBy(() -> PluginConfigReader.read("{\"root\": "))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("COMPENSA_PLUGIN_CONFIG")
        .hasMessageContaining("not a valid JSON object");
  }

  @Test
  void jsonThatIsNotAnObjectIsRefused() {
    assertThatThrownBy(() -> PluginConfigReader.read("[1, 2]"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("COMPENSA_PLUGIN_CONFIG must hold a JSON object");
  }
}
