package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.testing.LocalFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's training run (the build runs it under -XX:ArchiveClassesAtExit): it records its JDK
 * only when every step did what it should, and a failed training fails no build.
 */
class ClassDataTrainingTest {
  @TempDir Path dir;

  @Test
  void withoutAPluginItTrainsTheCommandsThatLaunchNone() throws IOException {
    List<String> failures = ClassDataTraining.train(dir.resolve("scratch"), dir.resolve("none"));

    assertThat(failures).isEmpty();
    assertThat(dir.resolve("scratch/no-plugin.json")).isRegularFile();
  }

  @Test
  void aStepThatFailsIsNamedWithItsExitCodeAndError() throws IOException {
    List<String> failures = ClassDataTraining.train(dir.resolve("scratch"), brokenPlugin());

    assertThat(failures).isNotEmpty();
    assertThat(failures.get(0))
        .startsWith("compensa quickstart --dir " + dir.resolve("scratch/quickstart"))
        .contains("exited 1 (expected 0)");
  }

  @Test
  void aFailedTrainingLeavesNoJdkRecordAndExitsZero() throws Exception {
    Path record = dir.resolve("compensa.jdk");
    Files.writeString(record, "/an/older/training\n");

    Result training = train(record, brokenPlugin());

    assertThat(training.exit).as(training.err).isZero();
    assertThat(record).doesNotExist();
    assertThat(training.err)
        .contains(
            "compensa CLI training failed, so bin/compensa will not use its class-data archive")
        .contains("compensa quickstart --dir");
  }

  @Test
  void aTrainingOverTheRealPluginRecordsItsJdk() throws Exception {
    Path record = dir.resolve("compensa.jdk");

    Result training = train(record, localfs());

    assertThat(training.exit).as(training.err).isZero();
    assertThat(training.err).doesNotContain("failed");
    assertThat(Files.readString(record)).isEqualTo(System.getProperty("java.home") + "\n");
    assertThat(dir.resolve("scratch/quickstart/report-2.html")).isRegularFile();
    assertThat(dir.resolve("scratch/report.html")).isRegularFile();
  }

  /** Runs ClassDataTraining's main in a JVM of its own, as the build does. */
  private Result train(Path record, Path plugin) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LocalFs.java());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ClassDataTraining.class.getName(),
            dir.resolve("scratch").toString(),
            record.toString(),
            plugin.toString()));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(4, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the training ran for over 4 minutes: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A plugin that exits before its handshake. */
  private Path brokenPlugin() throws IOException {
    return script("broken-plugin", "#!/bin/sh\necho 'no handshake from me' >&2\nexit 3\n");
  }

  /** An executable script that runs localfs, as a user would have one. */
  private Path localfs() throws IOException {
    return script(
        "compensa-localfs",
        "#!/bin/sh\nexec '" + String.join("' '", LocalFs.command()) + "' \"$@\"\n");
  }

  private Path script(String name, String text) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, text);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private record Result(int exit, String out, String err) {}
}
