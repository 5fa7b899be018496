package io.compensa.sdk.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a plugin's launcher script at build time: the script a host runs to start the plugin, next
 * to the plugin's jar, with the JVM options of the plugin's pom baked in. The script maps the
 * class-data archive of the training run when the JDK matches, and loads Netty's epoll library from
 * the directory the training run prepared (see {@code launcher.sh} beside this class).
 *
 * <p>The packaging of {@code compensa-plugin-parent} runs it after building the jar: {@code java
 * -cp target/NAME.jar io.compensa.sdk.packaging.LauncherScript target/NAME [OPTION...] [--jdk25
 * OPTION...]}, so every plugin gets the same launcher, and its JVM options live in one place, the
 * pom. The options after {@code --jdk25} are given only to a JDK 25 or newer (the JDK of the
 * plugin's AOT cache, see {@link AotCacheTraining}). Not part of the SDK's API.
 */
public final class LauncherScript {
  private static final String TEMPLATE = "launcher.sh";

  /** What a launcher may be called: its name is also its jar's, and is written into the script. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Characters that need no quoting in a bash word. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

  private LauncherScript() {}

  /**
   * Writes the launcher {@code args[0]} with the JVM options {@code args[1..]}; exits 2 with a
   * message on bad arguments, 1 when the file cannot be written.
   */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println(
          "usage: LauncherScript LAUNCHER_PATH [JVM_OPTION...] [--jdk25 JVM_OPTION...]"
              + " (writes the plugin launcher LAUNCHER_PATH, which runs LAUNCHER_PATH.jar; the"
              + " options after --jdk25 only on a JDK 25 or newer)");
      System.exit(2);
    }
    Path launcher = Path.of(args[0]).toAbsolutePath();
    List<String> options = List.of(args).subList(1, args.length);
    int split = options.indexOf(AotCacheTraining.JDK25_OPTIONS);
    try {
      if (split < 0) {
        write(launcher, options, List.of());
      } else {
        write(launcher, options.subList(0, split), options.subList(split + 1, options.size()));
      }
    } catch (IllegalArgumentException bad) {
      System.err.println("LauncherScript: " + bad.getMessage());
      System.exit(2);
    } catch (IOException failed) {
      System.err.println("LauncherScript: cannot write " + launcher + ": " + failed);
      System.exit(1);
    }
  }

  /**
   * Writes {@code launcher}, executable, replacing any older one whole (a temporary file renamed
   * into place), so a host never runs a half-written script.
   *
   * @param launcher the script's path; the plugin's jar is this path plus {@code .jar}
   * @param jvmOptions the options the script passes to {@code java}, before the caller's {@code
   *     COMPENSA_PLUGIN_JAVA_OPTS}
   * @param jdk25Options the options it adds to those for a JDK 25 or newer
   * @throws IllegalArgumentException when the name or an option cannot be used
   */
  static void write(Path launcher, List<String> jvmOptions, List<String> jdk25Options)
      throws IOException {
    String script = render(launcher.getFileName().toString(), jvmOptions, jdk25Options);
    Path directory = launcher.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary =
        Files.createTempFile(
            directory,
            "." + launcher.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try {
      Files.writeString(temporary, script, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary,
            launcher,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        Files.move(temporary, launcher, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The script for the plugin {@code executable} (its jar is {@code executable.jar}). */
  static String render(String executable, List<String> jvmOptions, List<String> jdk25Options) {
    if (!NAME.matcher(executable).matches()) {
      throw new IllegalArgumentException(
          "a launcher's name must be letters, digits, '.', '_' or"
              + " '-', starting with a letter or digit; got \""
              + executable
              + "\"");
    }
    for (String option : concat(jvmOptions, jdk25Options)) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException(
            "\""
                + option
                + "\" is not a JVM option (they start"
                + " with '-'); check compensa.plugin.jvmOptions and"
                + " compensa.plugin.jvmOptions25 in the plugin's pom");
      }
    }
    return template()
        .replace("@EXECUTABLE@", executable)
        .replace("@JVM_OPTIONS@", words(jvmOptions))
        .replace("@JVM_OPTIONS_25@", words(jdk25Options));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> both = new ArrayList<>(first);
    both.addAll(second);
    return both;
  }

  private static String words(List<String> options) {
    return options.stream().map(LauncherScript::quote).collect(Collectors.joining(" "));
  }

  /** {@code word} as one bash word. */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String template() {
    try (InputStream in = LauncherScript.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("the SDK's " + TEMPLATE + " is missing from its jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the SDK's " + TEMPLATE + ": " + e, e);
    }
  }
}
