package io.compensa.sdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
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
            "java=" + dir.resolve("fake-jdk/bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
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

    assertThat(Files.readString(launcher)).contains(" -Xmx128m)").doesNotContain("-Xmx64m");
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

  @Test
  void theJdkThatMadeTheAotCacheRunsThePluginWithItsCacheAndTheJdk25Options() throws Exception {
    Path launcher = plugin();
    Path jdk25 = fakeJdk("jdk-25", "25.0.1");
    aotCache(launcher, jdk25);
    classDataArchive(launcher, dir.resolve("fake-jdk"));

    Result run = run(launcher, Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(run.stdout)
        .containsExactly(
            "java=" + jdk25.resolve("bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx64m",
            "-XX:+UseCompactObjectHeaders",
            "-XX:AOTCache=" + launcher.toRealPath() + ".aot",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0",
            "-jar",
            launcher.toRealPath() + ".jar");
  }

  @Test
  void whenTheCachesJdkIsGoneJavaOnPathRunsThePluginWithTheClassDataArchive() throws Exception {
    Path launcher = plugin();
    aotCache(launcher, dir.resolve("removed-jdk-25"));
    classDataArchive(launcher, dir.resolve("fake-jdk"));

    Result run = run(launcher, Map.of());

    assertThat(run.exitCode).isZero();
    assertThat(run.stdout)
        .containsExactly(
            "java=" + dir.resolve("fake-jdk/bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx64m",
            "-XX:SharedArchiveFile=" + launcher.toRealPath() + ".jsa",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0",
            "-jar",
            launcher.toRealPath() + ".jar");
  }

  @Test
  void aCacheOlderThanTheJarIsNotUsedAndItsJdkNotChosen() throws Exception {
    Path launcher = plugin();
    Path jdk25 = fakeJdk("jdk-25", "25");
    aotCache(launcher, jdk25);
    Files.setLastModifiedTime(
        Path.of(launcher + ".aot"),
        FileTime.fromMillis(
            Files.getLastModifiedTime(Path.of(launcher + ".jar")).toMillis() - 60_000));

    Result run = run(launcher, Map.of());

    assertThat(run.stdout.get(0)).isEqualTo("java=" + dir.resolve("fake-jdk/bin/java"));
    assertThat(run.stdout).noneMatch(arg -> arg.contains("AOTCache"));
  }

  @Test
  void compensaPluginJavaWinsOverTheCachesJdkAndGetsTheJdk25OptionsByItsVersion() throws Exception {
    Path launcher = plugin();
    aotCache(launcher, fakeJdk("jdk-25", "25.0.1"));
    classDataArchive(launcher, dir.resolve("fake-jdk"));
    Path jdk26 = fakeJdk("jdk-26", "26-ea");

    // a Java home: a JDK 26 gets the JDK 25 options, not the other JDK's cache
    Result home = run(launcher, Map.of("COMPENSA_PLUGIN_JAVA", jdk26.toString()));
    assertThat(home.exitCode).isZero();
    assertThat(home.stdout)
        .containsExactly(
            "java=" + jdk26.resolve("bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx64m",
            "-XX:+UseCompactObjectHeaders",
            "-jar",
            launcher.toRealPath() + ".jar");

    // a java executable: the JDK of the class-data archive gets the archive, no JDK 25 option
    Result java =
        run(launcher, Map.of("COMPENSA_PLUGIN_JAVA", dir.resolve("fake-jdk/bin/java").toString()));
    assertThat(java.stdout)
        .containsExactly(
            "java=" + dir.resolve("fake-jdk/bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx64m",
            "-XX:SharedArchiveFile=" + launcher.toRealPath() + ".jsa",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0",
            "-jar",
            launcher.toRealPath() + ".jar");

    // a JDK 17 with neither: the pom's options only
    Result jdk17 =
        run(launcher, Map.of("COMPENSA_PLUGIN_JAVA", fakeJdk("jdk-17", "17.0.12").toString()));
    assertThat(jdk17.stdout)
        .containsExactly(
            "java=" + dir.resolve("jdk-17/bin/java"),
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx64m",
            "-jar",
            launcher.toRealPath() + ".jar");
  }

  @Test
  void aCompensaPluginJavaThatIsNoJavaIsRefusedWithWhatToDo() throws Exception {
    Path launcher = plugin();
    Path nowhere = dir.resolve("no-such-jdk");

    Result run = run(launcher, Map.of("COMPENSA_PLUGIN_JAVA", nowhere.toString()));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.stdout).isEmpty();
    assertThat(run.stderr)
        .contains(
            "compensa-kv: COMPENSA_PLUGIN_JAVA="
                + nowhere
                + " is neither a java executable nor a Java home with bin/java: fix it or unset it");
  }

  /**
   * A real JDK 25 given a cache it cannot use (not a cache at all, newer than the jar) and a pom
   * without the SDK's logging options: the JVM's complaint goes to stderr, the plugin starts and
   * its handshake is the first line on stdout.
   */
  @Test
  void aStaleCacheDoesNotBreakTheHandshake() throws Exception {
    Path jdk25 = Path.of(System.getProperty("compensa.test.jdk25", DEFAULT_JDK25));
    assumeTrue(
        Files.isExecutable(jdk25.resolve("bin/java")),
        "no JDK 25 at "
            + jdk25
            + " (give one with -Dcompensa.test.jdk25=HOME): the stale cache is tried only on one");
    Path launcher = dir.resolve("target/compensa-tiny");
    LauncherScript.write(launcher, List.of("-Xmx64m"), List.of("-XX:+UseCompactObjectHeaders"));
    tinyPluginJar(Path.of(launcher + ".jar"));
    Files.write(Path.of(launcher + ".aot"), new byte[] {'n', 'o', 't', ' ', 'a', 'o', 't'});
    Files.writeString(Path.of(launcher + ".aot.jdk"), jdk25 + "\n");

    ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("COMPENSA_") || k.startsWith("PLUGIN_"));
    builder
        .environment()
        .put(
            io.compensa.sdk.CompensaPlugin.DEFAULT_MAGIC_COOKIE_KEY,
            io.compensa.sdk.CompensaPlugin.DEFAULT_MAGIC_COOKIE_VALUE);
    builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "1");
    builder
        .environment()
        .put("PLUGIN_UNIX_SOCKET_DIR", Files.createDirectories(dir.resolve("s")).toString());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    Process process = builder.start();
    try {
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                      .readLine();
                } catch (IOException e) {
                  return "cannot read stdout: " + e;
                }
              });
      String handshake = first.get(60, TimeUnit.SECONDS);
      String stderr = Files.readString(dir.resolve("stderr.txt"));
      assertThat(handshake)
          .as("the first line on stdout; stderr was %s", stderr)
          .matches("1\\|\\d+\\|unix\\|/.*\\|grpc.*");
      assertThat(stderr).contains("[aot]").contains("Unable to map shared spaces");
    } finally {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static final String DEFAULT_JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

  /** The launcher of compensa-kv with one option for any JDK and one for JDK 25, and its jar. */
  private Path plugin() throws IOException {
    Path launcher = dir.resolve("target/compensa-kv");
    LauncherScript.write(launcher, List.of("-Xmx64m"), List.of("-XX:+UseCompactObjectHeaders"));
    Path jar = Path.of(launcher + ".jar");
    Files.writeString(jar, "not really a jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    return launcher;
  }

  /** An AOT cache newer than the jar, made by the JDK at {@code home}. */
  private static void aotCache(Path launcher, Path home) throws IOException {
    Files.writeString(Path.of(launcher + ".aot"), "a cache");
    Files.writeString(Path.of(launcher + ".aot.jdk"), home + "\n");
  }

  /** A class-data archive made by the JDK at {@code home}. */
  private static void classDataArchive(Path launcher, Path home) throws IOException {
    Files.writeString(Path.of(launcher + ".jsa"), "an archive");
    Files.writeString(Path.of(launcher + ".jdk"), home + "\n");
  }

  /** A Java home whose bin/java prints "java=" and its path, then its arguments, one a line. */
  private Path fakeJdk(String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(
        java, "#!/usr/bin/env bash\nprintf 'java=%s\\n' \"$0\"\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        home.resolve("release"),
        "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
    return home;
  }

  /** A jar that runs the SDK's TinyPlugin from this test's class path. */
  private static void tinyPluginJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.compensa.sdk.TinyPlugin");
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
            .collect(Collectors.joining(" "));
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
  }

  private record Result(int exitCode, List<String> stdout, String stderr) {}

  /**
   * Runs the launcher under bash with a "java" on PATH (the Java home fake-jdk, version 17) that
   * prints its path and its arguments, one a line.
   */
  private Result run(Path launcher, String callerOptions, String... args)
      throws IOException, InterruptedException {
    return run(launcher, Map.of("COMPENSA_PLUGIN_JAVA_OPTS", callerOptions), args);
  }

  private Result run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path bin = fakeJdk("fake-jdk", "17.0.12").resolve("bin");
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("COMPENSA_"));
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> lines = stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
    return new Result(process.exitValue(), lines, stderr);
  }
}
