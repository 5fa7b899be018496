package io.compensa.samples.localfs;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDriverTest {

  @TempDir Path root;

  private InProcessPlugin plugin;

  @BeforeEach
  void setUp() {
    plugin = InProcessPlugin.start(LocalFsPlugin.plugin(), Map.of("root", root.toString()));
  }

  @AfterEach
  void tearDown() {
    plugin.close();
  }

  private static ResourceSpec directory(String path, String mode) {
    return ResourceSpec.of("data", "localfs_directory", Map.of("path", path, "mode", mode));
  }

  private static ResourceState state(ResourceSpec spec, ResourceOutput output) {
    return ResourceState.of(spec.name(), spec.type(), spec.config(), output);
  }

  @Test
  void createMakesTheDirectoryWithItsMode() throws Exception {
    ResourceOutput output = plugin.create("a1", directory("data", "0750"));

    assertThat(root.resolve("data")).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("data"))))
        .isEqualTo("rwxr-x---");
    assertThat(output.providerId()).isEqualTo("data");
    assertThat(output.outputs()).containsEntry("mode", "0750");
  }

  @Test
  void aRepeatedCreateWithTheSameActionIdReturnsTheDirectory() throws Exception {
    plugin.create("a1", directory("data", "0755"));

    assertThat(plugin.create("a1", directory("data", "0755")).providerId()).isEqualTo("data");
    assertThatThrownBy(() -> plugin.create("a2", directory("data", "0755")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> assertThat(e.kind()).contains(DriverException.Kind.ALREADY_EXISTS));
  }

  @Test
  void readUpdateAndDeleteFollowTheDirectory() throws Exception {
    ResourceSpec spec = directory("data", "0755");
    ResourceOutput created = plugin.create("a1", spec);

    assertThat(plugin.read(spec, "data").exists()).isTrue();
    ResourceOutput updated = plugin.update("a2", directory("data", "0700"), state(spec, created));
    assertThat(updated.outputs()).containsEntry("mode", "0700");

    plugin.delete("a3", state(spec, updated));
    assertThat(root.resolve("data")).doesNotExist();
    assertThat(plugin.read(spec, "data").exists()).isFalse();
  }

  @Test
  void deleteOfAMissingDirectorySucceedsAndOfANonEmptyOneExplains() throws Exception {
    ResourceSpec spec = directory("data", "0755");
    plugin.delete("a1", state(spec, ResourceOutput.of("data")));

    ResourceOutput created = plugin.create("a2", spec);
    Files.writeString(root.resolve("data/inside.txt"), "x");
    assertThatThrownBy(() -> plugin.delete("a3", state(spec, created)))
        .isInstanceOf(DriverCallFailure.class)
        .hasMessageContaining("is not empty");
    assertThat(root.resolve("data")).isDirectory();
  }

  @Test
  void diffReplacesOnAPathChangeAndUpdatesOnAModeChange() throws Exception {
    ResourceSpec spec = directory("data", "0755");
    ResourceState prior = state(spec, ResourceOutput.of("data"));

    assertThat(plugin.diff(directory("other", "0755"), prior).change())
        .isEqualTo(DiffResult.Change.REPLACE);
    assertThat(plugin.diff(directory("data", "0700"), prior).change())
        .isEqualTo(DiffResult.Change.UPDATE);
    assertThat(plugin.diff(spec, prior).change()).isEqualTo(DiffResult.Change.NONE);
  }

  @Test
  void theLedgerFolderAndEscapingPathsAreRefused() {
    for (String refused : new String[] {".localfs/creations", "..", "/tmp"}) {
      assertThatThrownBy(() -> plugin.create("a1", directory(refused, "0755")))
          .as(refused)
          .isInstanceOfSatisfying(
              DriverCallFailure.class,
              e -> assertThat(e.kind()).contains(DriverException.Kind.INVALID_CONFIG));
    }
  }
}
