package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the build made: the fat jar, the training run's class-data archive beside it and the record
 * of the JDK that made it, which the checkout's own bin/compensa then maps. Runs in the verify
 * phase (after package made them; cli/pom.xml binds it there), not with the unit tests.
 */
class ClassDataArchiveBuildTest {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path BIN = Path.of("..", "bin", "compensa").toAbsolutePath().normalize();
  private static final Path LOCALFS =
      Path.of("..", "sample-plugins", "localfs", "bin", "compensa-localfs")
          .toAbsolutePath()
          .normalize();

  @TempDir Path dir;

  @Test
  void theBuildMadeTheArchiveAfterTheJarAndRecordedItsJdk() throws Exception {
    Path jar = TARGET.resolve("compensa.jar");
    Path archive = TARGET.resolve("compensa.jsa");
    Path record = TARGET.resolve("compensa.jdk");

    assertThat(jar).isRegularFile();
    assertThat(archive).isRegularFile();
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
    assertThat(record).as("the training run failed: see the build's output").isRegularFile();
    assertThat(Path.of(Files.readString(record).strip(), "bin", "java")).isExecutable();
  }

  @Test
  void binCompensaMapsTheCommandsClassesFromTheArchive() throws Exception {
    Path config = dir.resolve("compensa.json");
    Files.writeString(config, "{\"state\": \"state.json\", \"plugins\": {}}\n");
    Path classLog = dir.resolve("classes.log");

    Result run = run(classLog, "state", "list", "--config", config.toString());

    assertThat(run.exit).as(run.err).isZero();
    assertThat(Files.readString(classLog))
        .containsPattern("io.compensa.host.cli.CompensaCli source: shared objects file \\(top\\)")
        .containsPattern(
            "io.compensa.host.cli.StateCommand\\$ListCommand source: shared objects file \\(top\\)");
  }

  @Test
  void theTrainingCoveredALaunchOfTheLocalfsPlugin() throws Exception {
    Path classLog = dir.resolve("classes.log");

    Result run = run(classLog, "describe", LOCALFS.toString());

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).contains("localfs");
    assertThat(Files.readString(classLog))
        .containsPattern(
            "io.compensa.host.launch.PluginLauncher source: shared objects file \\(top\\)")
        .containsPattern(
            "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder source: shared objects file"
                + " \\(top\\)");
    // Netty's buffer events for Flight Recorder are off in the CLI
    assertThat(Files.readString(classLog))
        .doesNotContain("io.grpc.netty.shaded.io.netty.buffer.AllocateChunkEvent")
        .doesNotContain("jdk.jfr.AnnotationElement");
  }

  /** Runs the checkout's bin/compensa with the JDK the training recorded. */
  private Result run(Path classLog, String... args) throws Exception {
    String jdk = Files.readString(TARGET.resolve("compensa.jdk")).strip();
    List<String> command = new ArrayList<>(List.of(BIN.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("COMPENSA_JAVA", jdk + "/bin/java");
    builder.environment().put("COMPENSA_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " ran for over 2 minutes: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Result(int exit, String out, String err) {}
}
