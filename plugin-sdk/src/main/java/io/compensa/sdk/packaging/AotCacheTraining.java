package io.compensa.sdk.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a plugin's JDK 25 AOT cache at build time (JEP 483, 514 and 515: classes loaded and linked
 * ahead of time, with the method profiles of a training run): runs the plugin's training run
 * ({@link TrainingRun}) under the JDK that {@code compensa.plugin.aotJdk} names, with {@code
 * -XX:AOTCacheOutput=NAME.aot}, and has that run record its JDK in {@code NAME.aot.jdk}. The
 * launcher then starts the plugin on that JDK with its cache while the JDK is still there. The
 * class-data archive for the JDK on {@code PATH} ({@code NAME.jsa}, Java 17) is made as before.
 *
 * <p>The packaging of {@code compensa-plugin-parent} runs it after the class-data archive: {@code
 * java -cp target/NAME.jar io.compensa.sdk.packaging.AotCacheTraining --jdk=JDK_HOME
 * target/NAME.jar [OPTION...] [--jdk25 OPTION...]}, with the training configuration in {@code
 * COMPENSA_PLUGIN_CONFIG}. An empty {@code --jdk=} (the default) makes no cache and removes one an
 * earlier build left. A training that fails leaves no cache and does not fail the build: the plugin
 * starts without it. Not part of the SDK's API.
 */
public final class AotCacheTraining {
  /** The first JDK that makes and uses AOT caches with a one-step training run (JEP 514). */
  static final int FIRST_AOT_JDK = 25;

  /** The name ending of the cache, after the jar's name without {@code .jar}. */
  static final String CACHE_SUFFIX = ".aot";

  /** The name ending of the record of the JDK that made the cache. */
  static final String JDK_RECORD_SUFFIX = ".aot.jdk";

  /** The separator before the options given only to JDK 25 and newer. */
  static final String JDK25_OPTIONS = "--jdk25";

  private static final long TRAINING_MINUTES = 10;

  private AotCacheTraining() {}

  /** Makes the cache; exits 2 with a message on bad arguments or a JDK that cannot make one. */
  public static void main(String[] args) throws InterruptedException {
    try {
      System.exit(run(args));
    } catch (IllegalArgumentException bad) {
      System.err.println("AotCacheTraining: " + bad.getMessage());
      System.exit(2);
    }
  }

  /**
   * Makes (or removes) the cache as {@code args} say.
   *
   * @return the exit status: 0 when the cache is made, or none was asked for, or its training
   *     failed (the build goes on; the plugin starts without it)
   * @throws IllegalArgumentException when the arguments or the JDK cannot be used
   */
  static int run(String[] args) throws InterruptedException {
    if (args.length < 2 || !args[0].startsWith("--jdk=")) {
      throw new IllegalArgumentException(
          "usage: AotCacheTraining --jdk=JDK_HOME PLUGIN_JAR [JVM_OPTION...] [--jdk25"
              + " JVM_OPTION...] (an empty --jdk= makes no cache)");
    }
    String home = args[0].substring("--jdk=".length()).trim();
    Path jar = Path.of(args[1]).toAbsolutePath();
    String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path cache = jar.resolveSibling(base + CACHE_SUFFIX);
    Path record = jar.resolveSibling(base + JDK_RECORD_SUFFIX);
    if (home.isEmpty()) {
      // a cache an earlier build made is for an older jar: the launcher would skip it, but a
      // build without the AOT JDK should leave nothing that says otherwise
      deleteQuietly(cache);
      deleteQuietly(record);
      return 0;
    }
    Path java = Path.of(home, "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new IllegalArgumentException(
          "compensa.plugin.aotJdk is \""
              + home
              + "\", but "
              + java
              + " is not there: give the home of a JDK "
              + FIRST_AOT_JDK
              + " or newer, or leave the property empty for no AOT cache");
    }
    int feature = featureVersion(Path.of(home)).orElse(0);
    if (feature < FIRST_AOT_JDK) {
      throw new IllegalArgumentException(
          "compensa.plugin.aotJdk is \""
              + home
              + "\", a JDK "
              + (feature == 0 ? "of unknown version (no release file)" : feature)
              + ": the AOT cache needs JDK "
              + FIRST_AOT_JDK
              + " or newer; leave the property empty for no AOT cache");
    }
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.add("-XX:AOTCacheOutput=" + cache);
    for (int i = 2; i < args.length; i++) {
      if (!args[i].equals(JDK25_OPTIONS)) {
        command.add(args[i]);
      }
    }
    // the cache's own warnings (classes it leaves out, as JFR's) are expected; its errors show
    command.addAll(List.of("-Xlog:aot*=error:stderr", "-Xlog:cds*=error:stderr", "-jar"));
    command.add(jar.toString());
    deleteQuietly(cache);
    deleteQuietly(record);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.directory(jar.getParent().toFile());
    builder.environment().put(TrainingRun.VARIABLE, "1");
    builder.environment().put(TrainingRun.JDK_RECORD_VARIABLE, JDK_RECORD_SUFFIX);
    int status;
    try {
      Process training = builder.start();
      if (!training.waitFor(TRAINING_MINUTES, TimeUnit.MINUTES)) {
        training.destroyForcibly();
        training.waitFor(1, TimeUnit.MINUTES);
        status = -1;
      } else {
        status = training.exitValue();
      }
    } catch (IOException cannotStart) {
      System.err.println(
          "AotCacheTraining: cannot run " + java + " (" + cannotStart + "): no AOT cache");
      return 0;
    }
    if (status != 0 || !Files.isRegularFile(cache) || !Files.isRegularFile(record)) {
      deleteQuietly(cache);
      deleteQuietly(record);
      System.err.println(
          "AotCacheTraining: the training run under "
              + java
              + (status == -1
                  ? " took more than " + TRAINING_MINUTES + " minutes"
                  : " exited " + status)
              + " without making "
              + cache
              + ": the plugin starts without an AOT cache (see the run's output above)");
    }
    return 0;
  }

  /** The feature version in {@code home/release} (25 for {@code JAVA_VERSION="25.0.1"}). */
  static Optional<Integer> featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String feature = version.split("[.+-]", 2)[0];
          return Optional.of(Integer.parseInt(feature));
        }
      }
    } catch (IOException | NumberFormatException unknown) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the launcher skips a cache older than the jar
    }
  }
}
