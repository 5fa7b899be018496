package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/compensa, the script an operator runs, in a checkout of its own: a copy of the script and a
 * stand-in CLI jar ({@link JvmArguments}, which prints the options its JVM got), with a real
 * class-data archive made the way the build makes the CLI's. The script maps the archive only when
 * the java it runs is the JDK that made it and the archive is newer than the jar; an archive the
 * JVM cannot use leaves the run correct and quiet.
 */
class BinCompensaTest {
  private static final Path SCRIPT = Path.of("..", "bin", "compensa").toAbsolutePath().normalize();
  private static final Path POM = Path.of("pom.xml").toAbsolutePath();
  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  @TempDir Path checkout;

  private Path script;
  private Path jar;
  private Path archive;
  private Path jdkRecord;

  @BeforeEach
  void checkout() throws Exception {
    script = checkout.resolve("bin/compensa");
    Files.createDirectories(script.getParent());
    Files.copy(SCRIPT, script);
    jar = checkout.resolve("cli/target/compensa.jar");
    archive = checkout.resolve("cli/target/compensa.jsa");
    jdkRecord = checkout.resolve("cli/target/compensa.jdk");
    Files.createDirectories(jar.getParent());
    writeJar(jar, "first");
  }

  @Test
  void mapsTheArchiveWhenTheJavaItRunsIsTheJdkThatMadeIt() throws Exception {
    train();
    Path classLog = checkout.resolve("classes.log");

    Result run = run(Map.of("COMPENSA_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out)
        .contains("-XX:SharedArchiveFile=" + archive)
        .contains("-XX:ArchiveRelocationMode=0")
        .contains("args: hi");
    assertThat(Files.readString(classLog))
        .containsPattern("io.compensa.host.cli.JvmArguments source: shared objects file \\(top\\)");
  }

  @Test
  void aJavaReachedThroughALinkIsTheSameJdk() throws Exception {
    train();
    Path link = checkout.resolve("java-link");
    Files.createSymbolicLink(link, JAVA_HOME.resolve("bin/java"));

    Result run = run(Map.of("COMPENSA_JAVA", link.toString()), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).contains("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void anArchiveMadeByAnotherJdkIsNotUsed() throws Exception {
    train();
    Files.writeString(jdkRecord, "/opt/some-other-jdk\n");

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).doesNotContain("SharedArchiveFile").contains("args: hi");
    assertThat(run.out).contains("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
  }

  @Test
  void anArchiveWithoutItsJdkRecordIsNotUsed() throws Exception {
    train();
    Files.delete(jdkRecord);

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).doesNotContain("SharedArchiveFile").contains("args: hi");
  }

  @Test
  void anArchiveOlderThanTheJarIsNotUsed() throws Exception {
    train();
    // the jar rebuilt after the training (say with -Dexec.skip)
    writeJar(jar, "second");
    Files.setLastModifiedTime(
        jar, FileTime.from(Files.getLastModifiedTime(archive).toInstant().plusSeconds(5)));

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).doesNotContain("SharedArchiveFile").contains("args: hi");
  }

  @Test
  void anArchiveOfAnotherJarRunsCorrectlyAndQuietly() throws Exception {
    train();
    // a different jar in the same place, the archive still newer and its JDK the same: the JVM
    // finds the archive does not match the class path and starts the slow way
    writeJar(jar, "a different jar, of another size");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).contains("-XX:SharedArchiveFile=" + archive).endsWith("args: hi\n");
    assertThat(run.out).doesNotContain("Unable to use shared archive");
    assertThat(run.err).isEmpty();
  }

  @Test
  void aCorruptArchiveRunsCorrectlyAndQuietly() throws Exception {
    train();
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(21).nextBytes(garbage);
    Files.setPosixFilePermissions(
        archive, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.write(archive, garbage);

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).as(run.err).isZero();
    assertThat(run.out).contains("-XX:SharedArchiveFile=" + archive).endsWith("args: hi\n");
    assertThat(run.err).isEmpty();
  }

  @Test
  void aMissingJarSaysWhereItShouldBeAndHowToBuildIt() throws Exception {
    Files.delete(jar);

    Result run = run(Map.of(), "hi");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .startsWith("compensa: " + jar + " is missing; build it with:")
        .contains("mvn -B install");
  }

  @Test
  void theScriptsJvmOptionsAreTheTrainingRunsOptions() throws IOException {
    Matcher pom =
        Pattern.compile("<compensa.cli.jvmOptions>([^<]*)</compensa.cli.jvmOptions>")
            .matcher(Files.readString(POM));
    Matcher bin = Pattern.compile("(?m)^opts=\\(([^)]*)\\)$").matcher(Files.readString(SCRIPT));

    assertThat(pom.find()).as("compensa.cli.jvmOptions in " + POM).isTrue();
    assertThat(bin.find()).as("opts=(...) in " + SCRIPT).isTrue();
    assertThat(bin.group(1).trim()).isEqualTo(pom.group(1).trim());
  }

  /**
   * Makes the archive as the build does: the stand-in run once under -XX:ArchiveClassesAtExit with
   * the script's options, and the JDK's home in the record.
   */
  private void train() throws Exception {
    // the jar is older than the archive, as the build's training runs after the shade; the
    // archive records the jar's time, so it is set before the training, never after
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    List<String> command = new ArrayList<>();
    command.add(JAVA_HOME.resolve("bin/java").toString());
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.addAll(List.of(jvmOptions().split(" ")));
    command.addAll(List.of("-Xlog:disable", "-cp", jar.toString(), JvmArguments.class.getName()));
    Result training = exec(command, Map.of());
    assertThat(training.exit).as(training.err).isZero();
    assertThat(archive).isRegularFile();
    Files.writeString(jdkRecord, JAVA_HOME + "\n");
  }

  private static String jvmOptions() throws IOException {
    Matcher pom =
        Pattern.compile("<compensa.cli.jvmOptions>([^<]*)</compensa.cli.jvmOptions>")
            .matcher(Files.readString(POM));
    assertThat(pom.find()).isTrue();
    return pom.group(1).trim();
  }

  /** A runnable jar whose main is {@link JvmArguments}; {@code marker} varies its contents. */
  private static void writeJar(Path jar, String marker) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JvmArguments.class.getName());
    String entry = JvmArguments.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = JvmArguments.class.getResourceAsStream("JvmArguments.class")) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
      out.putNextEntry(new JarEntry("marker.txt"));
      out.write(marker.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  /** Runs the checkout's bin/compensa with the test's JDK first on PATH. */
  private Result run(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    return exec(command, environment);
  }

  private Result exec(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile());
    builder.environment().remove("COMPENSA_JAVA");
    builder.environment().remove("COMPENSA_JAVA_OPTS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder
        .environment()
        .put("PATH", JAVA_HOME.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", ""));
    builder.environment().putAll(environment);
    Path out = checkout.resolve("out.txt");
    Path err = checkout.resolve("err.txt");
    Process process =
        builder
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " ran for over 2 minutes: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Result(int exit, String out, String err) {}
}
