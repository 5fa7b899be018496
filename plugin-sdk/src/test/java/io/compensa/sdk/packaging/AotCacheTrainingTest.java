package io.compensa.sdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that makes a plugin's JDK 25 AOT cache, or says why it cannot. */
class AotCacheTrainingTest {
  @TempDir Path dir;

  @Test
  void withoutAnAotJdkNoCacheIsMadeAndAnEarlierBuildsCacheIsRemoved() throws Exception {
    Path jar = Files.writeString(dir.resolve("compensa-kv.jar"), "a jar");
    Files.writeString(dir.resolve("compensa-kv.aot"), "an old cache");
    Files.writeString(dir.resolve("compensa-kv.aot.jdk"), "/old/jdk\n");

    assertThat(AotCacheTraining.run(new String[] {"--jdk=", jar.toString(), "-Xmx64m"})).isZero();

    assertThat(dir.resolve("compensa-kv.aot")).doesNotExist();
    assertThat(dir.resolve("compensa-kv.aot.jdk")).doesNotExist();
    assertThat(jar).exists();
  }

  @Test
  void anAotJdkThatIsNotThereIsRefusedWithWhatToDo() {
    Path missing = dir.resolve("no-jdk");

    assertThatThrownBy(
            () -> AotCacheTraining.run(new String[] {"--jdk=" + missing, "compensa-kv.jar"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "compensa.plugin.aotJdk is \""
                + missing
                + "\", but "
                + missing.resolve("bin/java")
                + " is not there: give the home of a JDK 25 or newer, or leave the property"
                + " empty for no AOT cache");
  }

  @Test
  void aJdkOlderThan25IsRefusedWithItsVersion() throws Exception {
    Path jdk = fakeJdk("jdk-17", "JAVA_VERSION=\"17.0.12\"");

    assertThatThrownBy(() -> AotCacheTraining.run(new String[] {"--jdk=" + jdk, "kv.jar"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compensa.plugin.aotJdk is \"" + jdk + "\", a JDK 17:")
        .hasMessageContaining("the AOT cache needs JDK 25 or newer");
    Path unknown = fakeJdk("jdk-unknown", "IMPLEMENTOR=\"nobody\"");
    assertThatThrownBy(() -> AotCacheTraining.run(new String[] {"--jdk=" + unknown, "kv.jar"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a JDK of unknown version (no release file)");
  }

  @Test
  void featureVersionsAreReadFromTheReleaseFile() throws Exception {
    assertThat(AotCacheTraining.featureVersion(fakeJdk("a", "JAVA_VERSION=\"25.0.1\"")))
        .contains(25);
    assertThat(AotCacheTraining.featureVersion(fakeJdk("b", "JAVA_VERSION=\"26-ea\"")))
        .contains(26);
    assertThat(AotCacheTraining.featureVersion(fakeJdk("c", "JAVA_VERSION=\"1.8.0_402\"")))
        .contains(1);
    assertThat(AotCacheTraining.featureVersion(dir.resolve("none"))).isEqualTo(Optional.empty());
  }

  /** A real JDK 25 whose training cannot run (the jar is no jar): no cache, the build goes on. */
  @Test
  void aFailedTrainingLeavesNoCacheSaysSoAndDoesNotFailTheBuild() throws Exception {
    Path jdk25 =
        Path.of(System.getProperty("compensa.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    assumeTrue(
        Files.isExecutable(jdk25.resolve("bin/java")),
        "no JDK 25 at " + jdk25 + " (give one with -Dcompensa.test.jdk25=HOME)");
    Path jar = Files.writeString(dir.resolve("compensa-kv.jar"), "not a jar");
    PrintStream err = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    int status;
    System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
    try {
      status = AotCacheTraining.run(new String[] {"--jdk=" + jdk25, jar.toString(), "-Xmx64m"});
    } finally {
      System.setErr(err);
    }

    assertThat(status).isZero();
    assertThat(dir.resolve("compensa-kv.aot")).doesNotExist();
    assertThat(dir.resolve("compensa-kv.aot.jdk")).doesNotExist();
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("AotCacheTraining: the training run under " + jdk25.resolve("bin/java"))
        .contains("without making " + dir.resolve("compensa-kv.aot"))
        .contains("the plugin starts without an AOT cache");
  }

  private Path fakeJdk(String name, String releaseLine) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name).resolve("bin"));
    Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\nexit 0\n");
    java.toFile().setExecutable(true);
    Files.writeString(dir.resolve(name).resolve("release"), releaseLine + "\n");
    return dir.resolve(name);
  }
}
