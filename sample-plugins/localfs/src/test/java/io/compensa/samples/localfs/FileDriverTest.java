package io.compensa.samples.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDriverTest {

  @TempDir Path root;

  private FileDriver driver;

  @BeforeEach
  void setUp() {
    driver = new FileDriver(Root.at(root));
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
    ResourceOutput output = driver.create("a1", file("hello.txt", "hi\n", "0640"));

    Path written = root.resolve("hello.txt");
    assertThat(written).hasContent("hi");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
        .isEqualTo("rw-r-----");
    assertThat(output.providerId()).isEqualTo("hello.txt");
    assertThat(output.outputs())
        .containsEntry("size", 3)
        .containsEntry("sha256", "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4")
        .containsEntry("mode", "0640");
  }

  @Test
  void aRepeatedCreateWithTheSameActionIdReturnsTheFileWithoutWritingItAgain() throws Exception {
    ResourceOutput first = driver.create("a1", file("hello.txt", "hi\n", "0644"));
    Files.writeString(root.resolve("hello.txt"), "changed meanwhile");

    ResourceOutput again = driver.create("a1", file("hello.txt", "hi\n", "0644"));

    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(root.resolve("hello.txt")).hasContent("changed meanwhile");
  }

  @Test
  void createOfAnExistingFileWithAnotherActionIdFailsAsAlreadyExisting() throws Exception {
    driver.create("a1", file("hello.txt", "hi\n", "0644"));

    assertThatThrownBy(() -> driver.create("a2", file("hello.txt", "other", "0644")))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DriverException.Kind.ALREADY_EXISTS);
              assertThat(e.getMessage()).contains("already exists").contains("a2");
            });
    assertThat(root.resolve("hello.txt")).hasContent("hi");
  }

  @Test
  void createInADirectoryThatDoesNotExistAsksToCreateItFirst() {
    assertThatThrownBy(() -> driver.create("a1", file("missing/hello.txt", "hi", "0644")))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.PRECONDITION))
        .hasMessageContaining("does not exist");
  }

  @Test
  void readReportsAnExistingFileAndItsObservedConfig() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0600");
    driver.create("a1", spec);

    ReadResult found = driver.read(spec, "hello.txt");

    assertThat(found.exists()).isTrue();
    assertThat(found.output()).get().extracting(ResourceOutput::providerId).isEqualTo("hello.txt");
    assertThat(found.observedConfig()).containsEntry("content", "hi").containsEntry("mode", "0600");
  }

  @Test
  void readOfAMissingFileSaysItDoesNotExist() throws Exception {
    assertThat(driver.read(file("nope.txt", "", "0644"), "").exists()).isFalse();
  }

  @Test
  void readReportsTheSizeDigestAndModeOfTheContentOnDisk() throws Exception {
    Files.writeString(root.resolve("edited.txt"), "abc");
    Files.setPosixFilePermissions(
        root.resolve("edited.txt"), PosixFilePermissions.fromString("rw-------"));

    ReadResult found = driver.read(file("edited.txt", "", "0644"), "edited.txt");

    assertThat(found.output())
        .get()
        .extracting(ResourceOutput::outputs)
        .isEqualTo(
            Map.of(
                "size",
                3,
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

    assertThatThrownBy(() -> driver.read(file("dir", "", "0644"), "dir"))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED))
        .hasMessageContaining("not a regular file");
  }

  @Test
  void readUnderARootThatIsGoneSaysHowToFixTheRoot() {
    FileDriver lost = new FileDriver(Root.at(root.resolve("missing")));

    assertThatThrownBy(() -> lost.read(file("hello.txt", "", "0644"), "hello.txt"))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.PRECONDITION))
        .hasMessageContaining("is not a directory");
  }

  @Test
  void aDanglingLinkReadsAsAbsentAndCreateDoesNotWriteThroughIt() throws Exception {
    Files.createSymbolicLink(root.resolve("dangling.txt"), root.resolve("nowhere.txt"));

    assertThat(driver.read(file("dangling.txt", "", "0644"), "dangling.txt").exists()).isFalse();
    assertThatThrownBy(() -> driver.create("a1", file("dangling.txt", "x", "0644")))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.ALREADY_EXISTS));
    assertThat(root.resolve("nowhere.txt")).doesNotExist();
  }

  @Test
  void updateReplacesContentAndModeAtomically() throws Exception {
    ResourceSpec before = file("hello.txt", "hi", "0644");
    ResourceOutput created = driver.create("a1", before);

    ResourceOutput updated =
        driver.update("a2", file("hello.txt", "bye", "0600"), state(before, created));

    assertThat(root.resolve("hello.txt")).hasContent("bye");
    assertThat(updated.outputs()).containsEntry("mode", "0600").containsEntry("size", 3);
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("hello.txt", ".localfs");
    }
  }

  @Test
  void updateThatChangesThePathIsRefused() throws Exception {
    ResourceSpec before = file("hello.txt", "hi", "0644");
    ResourceOutput created = driver.create("a1", before);

    assertThatThrownBy(
            () -> driver.update("a2", file("elsewhere.txt", "hi", "0644"), state(before, created)))
        .isInstanceOf(DriverException.class)
        .hasMessageContaining("plan a replace");
  }

  @Test
  void deleteRemovesTheFile() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0644");
    ResourceOutput created = driver.create("a1", spec);

    driver.delete("a2", state(spec, created));

    assertThat(root.resolve("hello.txt")).doesNotExist();
  }

  @Test
  void deleteOfAFileThatIsAlreadyGoneSucceeds() throws Exception {
    ResourceSpec spec = file("gone.txt", "", "0644");

    driver.delete("a1", state(spec, ResourceOutput.of("gone.txt")));

    assertThat(root.resolve("gone.txt")).doesNotExist();
  }

  @Test
  void diffReplacesOnAPathChangeUpdatesOnContentOrModeAndOtherwiseDoesNothing() throws Exception {
    ResourceSpec spec = file("hello.txt", "hi", "0644");
    ResourceState prior = state(spec, ResourceOutput.of("hello.txt"));

    DiffResult moved = driver.diff(file("moved.txt", "hi", "0644"), prior);
    DiffResult edited = driver.diff(file("hello.txt", "bye", "0600"), prior);
    DiffResult same = driver.diff(spec, prior);

    assertThat(moved.change()).isEqualTo(DiffResult.Change.REPLACE);
    assertThat(moved.replaceKeys()).containsExactly("path");
    assertThat(edited.change()).isEqualTo(DiffResult.Change.UPDATE);
    assertThat(edited.changedKeys()).containsExactly("content", "mode");
    assertThat(same.change()).isEqualTo(DiffResult.Change.NONE);
  }

  @Test
  void pathsThatEscapeTheRootAreRefused() {
    for (String escaping : new String[] {"../outside.txt", "a/../../outside.txt", "/etc/passwd"}) {
      assertThatThrownBy(() -> driver.create("a1", file(escaping, "x", "0644")))
          .as(escaping)
          .isInstanceOfSatisfying(
              DriverException.class,
              e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.INVALID_CONFIG))
          .hasMessageContaining(escaping);
    }
    assertThat(root.getParent().resolve("outside.txt")).doesNotExist();
  }

  @Test
  void aSymbolicLinkOutOfTheRootIsRefused(@TempDir Path elsewhere) throws Exception {
    Files.createSymbolicLink(root.resolve("link"), elsewhere);

    assertThatThrownBy(() -> driver.create("a1", file("link/escaped.txt", "x", "0644")))
        .isInstanceOf(DriverException.class)
        .hasMessageContaining("symbolic link");
    assertThat(elsewhere.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void callsWithoutARootSayHowToSetIt() {
    FileDriver rootless = new FileDriver(Root.from(PluginConfig.empty()));

    assertThatThrownBy(() -> rootless.create("a1", file("hello.txt", "hi", "0644")))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.PRECONDITION))
        .hasMessage(
            "localfs has no root directory: set \"root\" in its plugin configuration"
                + " (COMPENSA_PLUGIN_CONFIG={\"root\": \"/absolute/dir\"})");
  }

  @Test
  void aModeThatIsNotOctalIsRefusedWithTheExpectedForm() {
    assertThatThrownBy(() -> driver.create("a1", file("hello.txt", "hi", "rw-r--r--")))
        .isInstanceOf(DriverException.class)
        .hasMessageContaining("\"0644\"");
  }
}
