package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.internal.StartupException;
import java.util.List;
import java.util.Map;
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

  @Test
  void everyJsonKindKeepsItsJavaFormWithNumbersAsDoubles() throws Exception {
    PluginConfig config =
        PluginConfigReader.read(
            "{\"s\": \"x\", \"n\": 2, \"b\": false, \"z\": null,"
                + " \"l\": [1, \"y\", {\"k\": true}], \"o\": {\"deep\": {\"er\": []}}}");

    assertThat(config.asMap())
        .containsExactly(
            Map.entry("s", "x"),
            Map.entry("n", 2.0),
            Map.entry("b", false),
            new java.util.AbstractMap.SimpleEntry<>("z", null),
            Map.entry("l", List.of(1.0, "y", Map.of("k", true))),
            Map.entry("o", Map.of("deep", Map.of("er", List.of()))));
  }

  @Test
  void aKeyGivenTwiceKeepsItsLastValue() throws Exception {
    assertThat(PluginConfigReader.read("{\"a\": 1, \"a\": 2}").get("a")).contains(2.0);
  }

  @Test
  void whatJsonCannotHoldOrWhatFollowsTheObjectIsRefused() {
    for (String bad :
        List.of(
            "{\"n\": 1e999999999}", "{\"n\": NaN}", "{} {}", "{\"a\": 1,}", "{'a': 1}", "{a: 1}")) {
      assertThatThrownBy(() -> PluginConfigReader.read(bad))
          .as(bad)
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("not a valid JSON object");
    }
  }

  @Test
  void nestingIsLimited() throws Exception {
    int depth = PluginConfigReader.MAX_DEPTH;
    String allowed = "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
    String deeper = "{\"a\": ".repeat(depth + 1) + "1" + "}".repeat(depth + 1);

    assertThat(PluginConfigReader.read(allowed).asMap()).containsKey("a");
    assertThatThrownBy(() -> PluginConfigReader.read(deeper))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("nested deeper than");
  }
}
