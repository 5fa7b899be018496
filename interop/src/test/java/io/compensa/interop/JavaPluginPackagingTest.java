package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SDK's packaging prepares at build time, seen in a launched Java plugin. */
@DisplayName("Java plugin packaging (localfs)")
class JavaPluginPackagingTest {
  @TempDir Path root;

  @Test
  void theLaunchedPluginLoadsNettysEpollLibraryFromTheDirectoryItsBuildPrepared() throws Exception {
    Interop.require(
        Interop.LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path prepared = Interop.LOCALFS_JAR.resolveSibling("compensa-localfs-native");
    assertThat(prepared).isDirectory();

    try (LaunchedPlugin plugin =
        new PluginLauncher()
            .launch(
                LaunchOptions.builder(List.of(Interop.LOCALFS_PLUGIN.toString()))
                    .pluginConfigJson(Interop.rootConfig(root))
                    .transport(LaunchOptions.Transport.UNIX)
                    .build())) {
      plugin
          .client()
          .read(
              ReadRequest.newBuilder()
                  .setActionId("a1")
                  .setResource(
                      ResourceSpec.newBuilder()
                          .setName("f")
                          .setType("localfs_file")
                          .setConfig(Struct.getDefaultInstance()))
                  .setProviderId("absent")
                  .build());

      // the shared objects the plugin's JVM has mapped: the epoll library is the prepared copy,
      // not one Netty extracted to a temporary file
      List<String> epoll =
          Files.readAllLines(Path.of("/proc/" + plugin.pid() + "/maps")).stream()
              .filter(line -> line.contains("netty_transport_native_epoll"))
              .map(line -> line.substring(line.indexOf('/')))
              .distinct()
              .toList();
      assertThat(epoll)
          .isNotEmpty()
          .allSatisfy(
              path ->
                  assertThat(Path.of(path).getParent().toRealPath())
                      .isEqualTo(prepared.toRealPath()));
    }
  }

  @Test
  void theLaunchedPluginMapsTheClassDataArchiveOrAotCacheItsBuildMadeForItsJdk() throws Exception {
    Interop.require(
        Interop.LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path archive = sibling(Interop.LOCALFS_JAR, ".jsa");
    assertThat(archive).isRegularFile();
    // the training run records the JDK it ran: the one on PATH, which the launcher runs too
    assertThat(Files.readString(sibling(Interop.LOCALFS_JAR, ".jdk")).strip())
        .isEqualTo(javaHomeOnPath().toString());
    // when the build had a JDK 25 (compensa.plugin.aotJdk), it also made that JDK's AOT cache, and
    // the launcher runs the plugin on that JDK with its cache; otherwise on PATH's with the archive
    Path cache = sibling(Interop.LOCALFS_JAR, ".aot");
    Path cacheJdk = sibling(Interop.LOCALFS_JAR, ".aot.jdk");
    boolean withCache =
        Files.isRegularFile(cache)
            && Files.isRegularFile(cacheJdk)
            && Files.isExecutable(Path.of(Files.readString(cacheJdk).strip(), "bin", "java"));
    Path expected = withCache ? cache : archive;

    try (LaunchedPlugin plugin = launch(Interop.LOCALFS_PLUGIN)) {
      List<String> mapped = mappedFiles(plugin);
      assertThat(mapped).contains(expected.toRealPath().toString());
      if (withCache) {
        assertThat(mapped)
            .contains(
                Path.of(Files.readString(cacheJdk).strip(), "bin", "java").toRealPath().toString());
      }
    }
  }

  @Test
  void aPluginWhoseArchiveAnotherJdkMadeStartsWithoutOpeningIt(@TempDir Path copy)
      throws Exception {
    Path launcher = copyOfLocalfs(copy);
    Files.writeString(
        sibling(copy.resolve("target/compensa-localfs.jar"), ".jdk"), "/opt/some-other-jdk\n");

    try (LaunchedPlugin plugin = launch(launcher)) {
      assertThat(plugin.client().describe().getName()).isEqualTo("localfs");
      // the launcher left the archive and the flags that go with it off the command line
      String commandLine = Files.readString(Path.of("/proc/" + plugin.pid() + "/cmdline"));
      assertThat(commandLine)
          .contains("compensa-localfs.jar")
          .doesNotContain("SharedArchiveFile")
          .doesNotContain("ArchiveRelocationMode");
    }
  }

  @Test
  void aDamagedArchiveIsIgnoredAndThePluginStillServes(@TempDir Path copy) throws Exception {
    Path launcher = copyOfLocalfs(copy);
    Path archive = copy.resolve("target/compensa-localfs.jsa");
    Files.delete(archive);
    Files.write(archive, new byte[64 * 1024]);

    try (LaunchedPlugin plugin = launch(launcher)) {
      assertThat(plugin.client().describe().getName()).isEqualTo("localfs");
      assertThat(mappedFiles(plugin)).doesNotContain(archive.toString());
    }
  }

  /**
   * The launcher and what the build prepared (jar, archive, the generated launcher), copied under
   * {@code copy} as bin/ and target/: the launcher finds the jar next to itself, and the archive,
   * made for the jar's original path, cannot serve the copy.
   */
  private static Path copyOfLocalfs(Path copy) throws IOException {
    Interop.require(
        Interop.LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "mvn -pl sample-plugins/localfs -am package");
    Path bin = Files.createDirectories(copy.resolve("bin"));
    Path target = Files.createDirectories(copy.resolve("target"));
    Path launcher =
        Files.copy(
            Interop.LOCALFS_PLUGIN,
            bin.resolve("compensa-localfs"),
            StandardCopyOption.COPY_ATTRIBUTES);
    Path jar =
        Files.copy(
            Interop.LOCALFS_JAR,
            target.resolve("compensa-localfs.jar"),
            StandardCopyOption.COPY_ATTRIBUTES);
    for (String ending : List.of(".jsa", ".jdk")) {
      Files.copy(sibling(Interop.LOCALFS_JAR, ending), sibling(jar, ending));
    }
    // the launcher the build wrote from the SDK's template, which bin/compensa-localfs sources
    Files.copy(
        sibling(Interop.LOCALFS_JAR, ""), sibling(jar, ""), StandardCopyOption.COPY_ATTRIBUTES);
    return launcher;
  }

  private LaunchedPlugin launch(Path launcher) throws Exception {
    return new PluginLauncher()
        .launch(
            LaunchOptions.builder(List.of(launcher.toString()))
                .pluginConfigJson(Interop.rootConfig(root))
                .transport(LaunchOptions.Transport.UNIX)
                .build());
  }

  /** {@code jar}'s sibling named like it, with {@code ending} instead of {@code .jar}. */
  private static Path sibling(Path jar, String ending) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ending);
  }

  private static List<String> mappedFiles(LaunchedPlugin plugin) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + plugin.pid() + "/maps")).stream()
        .filter(line -> line.contains("/"))
        .map(line -> line.substring(line.indexOf('/')))
        .distinct()
        .toList();
  }

  /** The Java home of the {@code java} the launcher finds on PATH. */
  private static Path javaHomeOnPath() throws IOException {
    Optional<Path> java =
        Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
            .map(dir -> Path.of(dir, "java"))
            .filter(Files::isExecutable)
            .findFirst();
    assertThat(java).as("java on PATH").isPresent();
    return java.get().toRealPath().getParent().getParent();
  }
}
