package io.compensa.samples.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
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

class FileDriverTest {

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

  private static ResourceSpec file(String path, String content, String mode) {
    return ResourceSpec.of(
        "greeting", "localfs_file", Map.of("path", path, "content", content, "mode", mode));
  }

  private static ResourceState state(ResourceSpec spec, ResourceOutput output) {
    return ResourceState.of(spec.name(), spec.type(), spec.config(), output);
  }

  @Test
  void createWritesTheFileWithItsModeAndReportsSizeDigestAndMode() throws Exception {
    ResourceOutput output = plugin.create("a1", file("hello.txt", "hi\n", "0640"));

    Path written = root.resolve("hello.txt");
    assertThat(written).hasContent("hi");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
        .isEqualTo("rw-r-----");
    assertThat(output.providerId()).isEqualTo("hello.txt");
    assertThat(output.outputs())
        .containsEntry("size", 3.0)
        .containsEntry("sha256", "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4")
        .containsEntry("mode", "0640");
  }

  @Test
  void temporariesThatKilledPluginsLeftAreRemovedByTheNextWriteInTheirDirectory() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.writeString(root.resolve(".localfs-" + gone.pid() + "-123.tmp"), "half");
    Path live =
        Files.writeString(
            root.resolve(".localfs-" + ProcessHandle.current().pid() + "-456.tmp"), "busy");
    Path older = Files.writeString(root.resolve(".localfs-789.tmp"), "unknown writer");

    plugin.create("a1", file("hello.txt", "hi\n", "0644"));

    assertThat(dead).as("the temporary of a plugin no longer running").doesNotExist();
    assertThat(live).as("a running plugin's temporary").exists();
    assertThat(older).as("a temporary that names no process").exists();
    assertThat(root.resolve("hello.txt")).hasContent("hi\n");
  }

  @Test
  void aRepeatedCreateWithTheSameActionIdReturnsTheFileWithoutWritingItAgain() throws Exception {
    ResourceOutput first = plugin.create("a1", file("hello.txt", "hi\n", "0644"));
    Files.writeString(root.resolve("hello.txt"), "changed meanwhile");

    ResourceOutput again = plugin.create("a1", file("hello.txt", "hi\n", "0644"));

    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(root.resolve("hello.txt")).hasContent("changed meanwhile");
  }

  @Test
  void createOfAnExistingFileWithAnotherActionIdFailsAsAlreadyExisting() throws Exception {
    plugin.create("a1", file("hello.txt", "hi\n", "0644"));

    assertThatThrownBy(() -> plugin.create("a2", file("hello.txt", "other", "0644")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> {
              assertThat(e.kind()).contains(DriverException.Kind.ALREADY_EXISTS);
              assertThat(e.getMessage()).contains("already exists").contains("a2");
            });
    assertThat(root.resolve("hello.txt")).hasContent("hi");
  }

  @Test
  void createInADirectoryThatDoesNotExistAsksToCreateItFirst() {
    assertThatThrownBy(() -> plugin.create("a1", file("missing/hello.txt", "hi", "0644")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> assertThat(e.kind()).contains(DriverException.Kind.PRECONDITION))
        .hasMessageContaining("does not exist");
  }

  @Test
  void readReportsAnExistingFileAndItsObservedConfig() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0600");
    plugin.create("a1", spec);

    ReadResult found = plugin.read(spec, "hello.txt");

    assertThat(found.exists()).isTrue();
    assertThat(found.output()).get().extracting(ResourceOutput::providerId).isEqualTo("hello.txt");
    assertThat(found.observedConfig()).containsEntry("content", "hi").containsEntry("mode", "0600");
  }

  @Test
  void readOfAMissingFileSaysItDoesNotExist() throws Exception {
    assertThat(plugin.read(file("nope.txt", "", "0644"), "").exists()).isFalse();
  }

  @Test
  void readReportsTheSizeDigestAndModeOfTheContentOnDisk() throws Exception {
    Files.writeString(root.resolve("edited.txt"), "abc");
    Files.setPosixFilePermissions(
        root.resolve("edited.txt"), PosixFilePermissions.fromString("rw-------"));

    ReadResult found = plugin.read(file("edited.txt", "", "0644"), "edited.txt");

    assertThat(found.output())
        .get()
        .extracting(ResourceOutput::outputs)
        .isEqualTo(
            Map.of(
                "size",
                3.0,
                "mode",
                "0600",
                "sha256",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    assertThat(found.observedConfig())
        .isEqualTo(Map.of("path", "edited.txt", "content", "abc", "mode", "0600"));
  }

  @Test
  void readOfSomethingThatIsNotARegularFileFails() throws Exception {
    Files.createDirectory(root.resolve("dir"));

    assertThatThrownBy(() -> plugin.read(file("dir", "", "0644"), "dir"))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> assertThat(e.kind()).contains(DriverException.Kind.FAILED))
        .hasMessageContaining("not a regular file");
  }

  @Test
  void readUnderARootThatIsGoneSaysHowToFixTheRoot() {
    try (InProcessPlugin lost =
        InProcessPlugin.start(
            LocalFsPlugin.plugin(), Map.of("root", root.resolve("missing").toString()))) {
      assertThatThrownBy(() -> lost.read(file("hello.txt", "", "0644"), "hello.txt"))
          .isInstanceOfSatisfying(
              DriverCallFailure.class,
              e -> assertThat(e.kind()).contains(DriverException.Kind.PRECONDITION))
          .hasMessageContaining("is not a directory");
    }
  }

  @Test
  void aDanglingLinkReadsAsAbsentAndCreateDoesNotWriteThroughIt() throws Exception {
    Files.createSymbolicLink(root.resolve("dangling.txt"), root.resolve("nowhere.txt"));

    assertThat(plugin.read(file("dangling.txt", "", "0644"), "dangling.txt").exists()).isFalse();
    assertThatThrownBy(() -> plugin.create("a1", file("dangling.txt", "x", "0644")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> assertThat(e.kind()).contains(DriverException.Kind.ALREADY_EXISTS));
    assertThat(root.resolve("nowhere.txt")).doesNotExist();
  }

  @Test
  void updateReplacesContentAndModeAtomically() throws Exception {
    ResourceSpec before = file("hello.txt", "hi", "0644");
    ResourceOutput created = plugin.create("a1", before);

    ResourceOutput updated =
        plugin.update("a2", file("hello.txt", "bye", "0600"), state(before, created));

    assertThat(root.resolve("hello.txt")).hasContent("bye");
    assertThat(updated.outputs()).containsEntry("mode", "0600").containsEntry("size", 3.0);
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("hello.txt", ".localfs");
    }
  }

  @Test
  void updateThatChangesThePathIsRefused() throws Exception {
    ResourceSpec before = file("hello.txt", "hi", "0644");
    ResourceOutput created = plugin.create("a1", before);

    assertThatThrownBy(
            () -> plugin.update("a2", file("elsewhere.txt", "hi", "0644"), state(before, created)))
        .isInstanceOf(DriverCallFailure.class)
        .hasMessageContaining("plan a replace");
  }

  @Test
  void deleteRemovesTheFile() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0644");
    ResourceOutput created = plugin.create("a1", spec);

    plugin.delete("a2", state(spec, created));

    assertThat(root.resolve("hello.txt")).doesNotExist();
  }

  @Test
  void deleteOfAFileThatIsAlreadyGoneSucceeds() throws Exception {
    ResourceSpec spec = file("gone.txt", "", "0644");

    plugin.delete("a1", state(spec, ResourceOutput.of("gone.txt")));

    assertThat(root.resolve("gone.txt")).doesNotExist();
  }

  @Test
  void diffReplacesOnAPathChangeUpdatesOnContentOrModeAndOtherwiseDoesNothing() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0644");
    ResourceState prior = state(spec, ResourceOutput.of("hello.txt"));

    DiffResult moved = plugin.diff(file("moved.txt", "hi", "0644"), prior);
    DiffResult edited = plugin.diff(file("hello.txt", "bye", "0600"), prior);
    DiffResult same = plugin.diff(spec, prior);

    assertThat(moved.change()).isEqualTo(DiffResult.Change.REPLACE);
    assertThat(moved.replaceKeys()).containsExactly("path");
    assertThat(edited.change()).isEqualTo(DiffResult.Change.UPDATE);
    assertThat(edited.changedKeys()).containsExactly("content", "mode");
    assertThat(same.change()).isEqualTo(DiffResult.Change.NONE);
  }

  @Test
  void pathsThatEscapeTheRootAreRefused() {
    for (String escaping : new String[] {"../outside.txt", "a/../../outside.txt", "/etc/passwd"}) {
      assertThatThrownBy(() -> plugin.create("a1", file(escaping, "x", "0644")))
          .as(escaping)
          .isInstanceOfSatisfying(
              DriverCallFailure.class,
              e -> assertThat(e.kind()).contains(DriverException.Kind.INVALID_CONFIG))
          .hasMessageContaining(escaping);
    }
    assertThat(root.getParent().resolve("outside.txt")).doesNotExist();
  }

  @Test
  void aSymbolicLinkOutOfTheRootIsRefused(@TempDir Path elsewhere) throws Exception {
    Files.createSymbolicLink(root.resolve("link"), elsewhere);

    assertThatThrownBy(() -> plugin.create("a1", file("link/escaped.txt", "x", "0644")))
        .isInstanceOf(DriverCallFailure.class)
        .hasMessageContaining("symbolic link");
    assertThat(elsewhere.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void callsWithoutARootSayHowToSetIt() {
    try (InProcessPlugin rootless = InProcessPlugin.start(LocalFsPlugin.plugin())) {
      assertThatThrownBy(() -> rootless.create("a1", file("hello.txt", "hi", "0644")))
          .isInstanceOfSatisfying(
              DriverCallFailure.class,
              e -> assertThat(e.kind()).contains(DriverException.Kind.PRECONDITION))
          .hasMessage(
              "localfs has no root directory: set \"root\" in its plugin configuration"
                  + " (COMPENSA_PLUGIN_CONFIG={\"root\": \"/absolute/dir\"})");
    }
  }

  @Test
  void aModeThatIsNotOctalIsRefusedWithTheExpectedForm() {
    assertThatThrownBy(() -> plugin.create("a1", file("hello.txt", "hi", "rw-r--r--")))
        .isInstanceOf(DriverCallFailure.class)
        .hasMessageContaining("\"0644\"");
  }
}
