package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceDriverTest {

  private final ResourceDriver driver = new TinyPlugin.NoteDriver("");

  private static ResourceState prior(Map<String, Object> config) {
    return ResourceState.of("n", "tiny_note", config, ResourceOutput.of("n"));
  }

  @Test
  void theDefaultDiffFindsNothingWhenTheConfigsAreEqual() throws Exception {
    DiffResult diff =
        driver.diff(
            ResourceSpec.of("n", "tiny_note", Map.of("text", "a")), prior(Map.of("text", "a")));

    assertThat(diff).isEqualTo(DiffResult.none());
  }

  @Test
  void theDefaultDiffUpdatesInPlaceAndNamesChangedAddedAndRemovedKeys() throws Exception {
    DiffResult diff =
        driver.diff(
            ResourceSpec.of("n", "tiny_note", Map.of("text", "b", "added", 1)),
            prior(Map.of("text", "a", "removed", true)));

    assertThat(diff.change()).isEqualTo(DiffResult.Change.UPDATE);
    assertThat(diff.changedKeys()).containsExactlyInAnyOrder("text", "added", "removed");
    assertThat(diff.replaceKeys()).isEmpty();
  }
}
