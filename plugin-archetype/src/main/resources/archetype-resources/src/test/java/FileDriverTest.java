package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.testkit.inprocess.DriverCallFailure;
import io.compensa.sdk.testkit.inprocess.InProcessPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver called in-process, through the SDK's real request and answer conversion: what each
 * call returns is what the host would receive. Milliseconds per test, no process.
 */
class FileDriverTest {

  @TempDir Path root;

  private InProcessPlugin plugin;

  @BeforeEach
  void start() {
    plugin = InProcessPlugin.start(Main.plugin(), Map.of("root", root.toString()));
  }

  @AfterEach
  void stop() {
    plugin.close();
  }

  private static ResourceSpec file(String path, String content) {
    return ResourceSpec.of("greeting", "${pluginName}_file", Map.of("path", path, "content", content));
  }

  private static ResourceState state(ResourceSpec spec, ResourceOutput output) {
    return ResourceState.of(spec.name(), spec.type(), spec.config(), output);
  }

  @Test
  void createWritesTheFileAndReturnsItsPathAndSize() throws Exception {
    ResourceOutput created = plugin.create("a1", file("hello.txt", "hi\n"));

    assertThat(root.resolve("hello.txt")).hasContent("hi");
    assertThat(created.providerId()).isEqualTo("hello.txt");
    // the wire's numbers are doubles: this is what the host records
    assertThat(created.outputs()).containsEntry("size", 3.0);
  }

  @Test
  void aRepeatedCreateReturnsTheSameFile() {
    ResourceOutput first = plugin.create("a1", file("hello.txt", "hi\n"));

    assertThat(plugin.create("a1", file("hello.txt", "hi\n"))).isEqualTo(first);
  }

  @Test
  void createOverAFileWithOtherContentFailsAsAlreadyExisting() throws Exception {
    Files.writeString(root.resolve("hello.txt"), "someone else's");

    assertThatThrownBy(() -> plugin.create("a1", file("hello.txt", "hi\n")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> assertThat(failure.kind()).contains(DriverException.Kind.ALREADY_EXISTS))
        .hasMessageContaining("already exists");
    assertThat(root.resolve("hello.txt")).hasContent("someone else's");
  }

  @Test
  void readSeesTheFileAsItIsOnDisk() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi\n");
    plugin.create("a1", spec);
    Files.writeString(root.resolve("hello.txt"), "edited by hand");

    assertThat(plugin.read(spec, "hello.txt").observedConfig())
        .containsEntry("content", "edited by hand");
    Files.delete(root.resolve("hello.txt"));
    assertThat(plugin.read(spec, "hello.txt").exists()).isFalse();
  }

  @Test
  void updateRewritesTheContentAndDeleteRemovesTheFile() throws Exception {
    ResourceSpec before = file("hello.txt", "hi\n");
    ResourceOutput created = plugin.create("a1", before);

    ResourceOutput updated = plugin.update("a2", file("hello.txt", "bye!\n"), state(before, created));
    assertThat(root.resolve("hello.txt")).hasContent("bye!");
    assertThat(updated.outputs()).containsEntry("size", 5.0);

    plugin.delete("a3", state(before, updated));
    assertThat(root.resolve("hello.txt")).doesNotExist();
    plugin.delete("a3", state(before, updated)); // deleting what is gone succeeds
  }

  @Test
  void aNewPathIsAReplaceAndNewContentAnUpdate() {
    ResourceSpec spec = file("hello.txt", "hi\n");
    ResourceState prior = state(spec, ResourceOutput.of("hello.txt"));

    assertThat(plugin.diff(file("moved.txt", "hi\n"), prior).change())
        .isEqualTo(DiffResult.Change.REPLACE);
    assertThat(plugin.diff(file("hello.txt", "bye\n"), prior).changedKeys())
        .containsExactly("content");
    assertThat(plugin.diff(spec, prior).change()).isEqualTo(DiffResult.Change.NONE);
  }

  @Test
  void aPathOutOfTheRootIsRefusedAsInvalidConfig() {
    assertThatThrownBy(() -> plugin.create("a1", file("../outside.txt", "x")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> assertThat(failure.kind()).contains(DriverException.Kind.INVALID_CONFIG))
        .hasMessageContaining("../outside.txt");
    assertThat(root.resolveSibling("outside.txt")).doesNotExist();
  }

  @Test
  void withoutARootTheErrorSaysHowToSetIt() {
    try (InProcessPlugin rootless = InProcessPlugin.start(Main.plugin())) {
      assertThatThrownBy(() -> rootless.create("a1", file("hello.txt", "hi\n")))
          .isInstanceOfSatisfying(
              DriverCallFailure.class,
              failure -> assertThat(failure.kind()).contains(DriverException.Kind.PRECONDITION))
          .hasMessageContaining("set \"root\" in its plugin configuration");
    }
  }
}
