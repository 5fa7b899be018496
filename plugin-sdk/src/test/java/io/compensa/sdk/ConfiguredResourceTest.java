package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed reads of a resource's configuration, and errors that name the resource and the key. */
class ConfiguredResourceTest {
  private final ResourceSpec spec =
      ResourceSpec.of(
          "site",
          "localfs_file",
          Map.of(
              "path",
              "site/index.html",
              "empty",
              "",
              "size",
              3.0,
              "public",
              true,
              "tags",
              List.of("a", "b"),
              "mixed",
              List.of("a", 1.0)));

  @Test
  void presentValuesAreReadWithTheirTypeAndAbsentOnesGiveTheDefault() throws Exception {
    assertThat(spec.string("path")).isEqualTo("site/index.html");
    assertThat(spec.string("mode", "0644")).isEqualTo("0644");
    assertThat(spec.number("size")).isEqualTo(3.0);
    assertThat(spec.number("depth", 1)).isEqualTo(1.0);
    assertThat(spec.flag("public", false)).isTrue();
    assertThat(spec.flag("hidden", false)).isFalse();
    assertThat(spec.strings("tags")).containsExactly("a", "b");
  }

  @Test
  void aMissingOrEmptyRequiredStringNamesTheResourceTheKeyAndWhatToDo() {
    assertThatThrownBy(() -> spec.string("content"))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "localfs_file \"site\" needs \"content\" as a non-empty string, got nothing:"
                + " set it in the resource's config");
    assertThatThrownBy(() -> spec.string("empty")).hasMessageContaining("got \"\"");
  }

  @Test
  void aValueOfTheWrongTypeIsAnInvalidConfigErrorSayingWhatItHolds() {
    assertThatThrownBy(() -> spec.string("size", "x"))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "localfs_file \"site\" needs \"size\" as a string, got 3: fix it in the resource's config")
        .satisfies(
            e ->
                assertThat(((DriverException) e).kind())
                    .isEqualTo(DriverException.Kind.INVALID_CONFIG));
    assertThatThrownBy(() -> spec.number("path"))
        .hasMessageContaining("as a number, got \"site/index.html\"");
    assertThatThrownBy(() -> spec.flag("path", true)).hasMessageContaining("as true or false");
    assertThatThrownBy(() -> spec.strings("mixed")).hasMessageContaining("as a list of strings");
    assertThatThrownBy(() -> spec.strings("nothing")).hasMessageContaining("got nothing: set it");
  }

  @Test
  void aRecordedResourceReadsItsConfigTheSameWay() throws Exception {
    ResourceState prior =
        new ResourceState(
            "site",
            "localfs_file",
            Map.of("path", "old.html"),
            ResourceOutput.of("old.html"),
            List.of(),
            false,
            false,
            "");
    assertThat(prior.string("path")).isEqualTo("old.html");
    assertThatThrownBy(() -> prior.string("content")).hasMessageContaining("localfs_file \"site\"");
  }

  @Test
  void eachActionKindsCompensationIsSetByNameAndUnsetKindsAreNotCompensable() {
    ResourceType type =
        ResourceType.builder("note")
            .compensateCreate(CompensationPolicy.HOST_INVERSE)
            .compensateDelete(CompensationPolicy.PLUGIN)
            .build();
    assertThat(type.createPolicy()).isEqualTo(CompensationPolicy.HOST_INVERSE);
    assertThat(type.updatePolicy()).isEqualTo(CompensationPolicy.NONE);
    assertThat(type.deletePolicy()).isEqualTo(CompensationPolicy.PLUGIN);
  }
}
