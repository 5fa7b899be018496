package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompensaPluginTest {

  private static final ResourceDriver DRIVER = new TinyPlugin.NoteDriver("");

  @Test
  void aPluginWithNothingRegisteredFailsSayingWhatToAdd() {
    assertThatThrownBy(() -> CompensaPlugin.builder().name("empty").version("1.0.0").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no resource types registered")
        .hasMessageContaining(".resource(type, driver)");
  }

  @Test
  void pluginCompensationWithoutACompensatorFailsAtBuild() {
    ResourceType type =
        ResourceType.builder("self_healing").compensateCreate(CompensationPolicy.PLUGIN).build();

    assertThatThrownBy(
            () -> CompensaPlugin.builder().name("p").version("1").resource(type, DRIVER).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[self_healing]")
        .hasMessageContaining(".compensator(");
  }

  @Test
  void pluginCompensationWithACompensatorBuilds() {
    ResourceType type =
        ResourceType.builder("self_healing").compensateCreate(CompensationPolicy.PLUGIN).build();

    CompensaPlugin plugin =
        CompensaPlugin.builder()
            .name("p")
            .version("1")
            .resource(type, DRIVER)
            .compensator(request -> CompensationResult.compensated("undone"))
            .build();

    assertThat(plugin.resourceTypes())
        .extracting(ResourceType::name)
        .containsExactly("self_healing");
  }

  @Test
  void aMissingNameOrVersionIsNamed() {
    assertThatThrownBy(
            () -> CompensaPlugin.builder().version("1").resource(TinyPlugin.NOTE, DRIVER).build())
        .hasMessageContaining(".name(");
    assertThatThrownBy(
            () -> CompensaPlugin.builder().name("p").resource(TinyPlugin.NOTE, DRIVER).build())
        .hasMessageContaining(".version(");
  }

  @Test
  void aTypeRegisteredTwiceIsRefused() {
    CompensaPlugin.Builder builder = CompensaPlugin.builder().resource(TinyPlugin.NOTE, DRIVER);

    assertThatThrownBy(() -> builder.resource(TinyPlugin.NOTE, DRIVER))
        .hasMessageContaining("registered twice");
  }

  @Test
  void hostInverseNeedsTheInverseOperation() {
    assertThatThrownBy(
            () ->
                ResourceType.builder("no_delete_inverse")
                    .operations(Operation.CREATE, Operation.READ, Operation.DELETE)
                    .compensateUpdate(CompensationPolicy.HOST_INVERSE)
                    .build())
        .hasMessageContaining("needs UPDATE");
    assertThatThrownBy(
            () ->
                ResourceType.builder("unreadable")
                    .operations(Operation.CREATE, Operation.DELETE)
                    .build())
        .hasMessageContaining("must support READ");
  }
}
