package io.compensa.sdk.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * -cp target/NAME.jar io.compensa.sdk.internal.LauncherScript target/NAME [OPTION...]}, so every
 * plugin gets the same launcher, and its JVM options live in one place, the pom. Not part of the
 * SDK's API.
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
          "usage: LauncherScript LAUNCHER_PATH [JVM_OPTION...]"
              + " (writes the plugin launcher LAUNCHER_PATH, which runs LAUNCHER_PATH.jar)");
      System.exit(2);
    }
    Path launcher = Path.of(args[0]).toAbsolutePath();
    try {
      write(launcher, List.of(args).subList(1, args.length));
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
   * @throws IllegalArgumentException when the name or an option cannot be used
   */
  static void write(Path launcher, List<String> jvmOptions) throws IOException {
    String script = render(launcher.getFileName().toString(), jvmOptions);
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
  static String render(String executable, List<String> jvmOptions) {
    if (!NAME.matcher(executable).matches()) {
      throw new IllegalArgumentException(
          "a launcher's name must be letters, digits, '.', '_' or"
              + " '-', starting with a letter or digit; got \""
              + executable
              + "\"");
    }
    for (String option : jvmOptions) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException(
            "\""
                + option
                + "\" is not a JVM option (they start"
                + " with '-'); check compensa.plugin.jvmOptions in the plugin's pom");
      }
    }
    String options =
        jvmOptions.stream().map(LauncherScript::quote).collect(Collectors.joining(" "));
    return template().replace("@EXECUTABLE@", executable).replace("@JVM_OPTIONS@", options);
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
