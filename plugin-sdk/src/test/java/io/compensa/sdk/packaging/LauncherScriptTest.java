package io.compensa.sdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher the build writes next to a plugin's jar, run by bash with a stand-in for java. */
class LauncherScriptTest {
  @TempDir Path dir;

  @Test
  void theLauncherRunsJavaWithThePomsOptionsThenTheCallersThenTheJarAndTheArguments()
      throws Exception {
    Path launcher = dir.resolve("target/compensa-kv");
    LauncherScript.write(
        launcher,
        List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dgreeting=hello world", "-Dquote=it's"),
        List.of("-XX:+UseCompactObjectHeaders"));
    Files.writeString(dir.resolve("target/compensa-kv.jar"), "not really a jar");

    assertThat(Files.isExecutable(launcher)).isTrue();
    try (Stream<Path> files = Files.list(launcher.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("compensa-kv", "compensa-kv.jar"); // no temporary file left
    }
    Result run = run(launcher, "-Dfrom.caller=1", "serve", "--flag");

    assertThat(run.exitCode).isZero();
    assertThat(run.stdout)
        .containsExactly(
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-Dgreeting=hello world",
            "-Dquote=it's",
            "-Dfrom.caller=1",
            "-jar",
            launcher.toRealPath() + ".jar",
            "serve",
            "--flag");
  }

  @Test
  void aLauncherWithoutItsJarSaysToBuildThePlugin() throws Exception {
    Path launcher = dir.resolve("compensa-kv");
    LauncherScript.write(launcher, List.of("-Xmx64m"), List.of());

    Result run = run(launcher, "");

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.stderr)
        .contains(
            "compensa-kv: "
                + launcher.toRealPath()
                + ".jar is missing:"
                + " build the plugin (mvn package)");
    assertThat(run.stdout).isEmpty();
  }

  @Test
  void aLaterBuildReplacesTheLauncherWhole() throws Exception {
    Path launcher = dir.resolve("compensa-kv");
    LauncherScript.write(launcher, List.of("-Xmx64m"), List.of());
    LauncherScript.write(launcher, List.of("-Xmx128m"), List.of());

    assertThat(Files.readString(launcher)).contains("opts=(-Xmx128m)").doesNotContain("-Xmx64m");
  }

  @Test
  void badNamesAndOptionsAreRefusedWithWhatToFix() {
    assertThatThrownBy(() -> LauncherScript.render("kv;rm", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a launcher's name must be letters, digits")
        .hasMessageContaining("\"kv;rm\"");
    assertThatThrownBy(() -> LauncherScript.render("kv", List.of("Xmx64m"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"Xmx64m\" is not a JVM option")
        .hasMessageContaining("compensa.plugin.jvmOptions");
  }

  @Test
  void wordsAreQuotedForBashOnlyWhenTheyNeedIt() {
    assertThat(LauncherScript.quote("-XX:SharedArchiveFile=/a/b.jsa"))
        .isEqualTo("-XX:SharedArchiveFile=/a/b.jsa");
    assertThat(LauncherScript.quote("-Da=$HOME")).isEqualTo("'-Da=$HOME'");
    assertThat(LauncherScript.quote("-Da=it's")).isEqualTo("'-Da=it'\\''s'");
  }

  private record Result(int exitCode, List<String> stdout, String stderr) {}

  /** Runs the launcher under bash with a "java" on PATH that prints its arguments, one a line. */
  private Result run(Path launcher, String callerOptions, String... args)
      throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("fake-jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("COMPENSA_PLUGIN_JAVA_OPTS", callerOptions);
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> lines = stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
    return new Result(process.exitValue(), lines, stderr);
  }
}
