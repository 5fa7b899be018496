package io.compensa.host.launch;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file a plugin command names, so a missing or non-executable plugin is reported in the
 * user's own words before anything starts (and so a {@link BinaryPin} can hash it).
 *
 * <p>Stateless and thread-safe.
 */
final class Executable {
  private Executable() {}

  /**
   * The file {@code command} runs: a path (relative to {@code workingDirectory}) when it contains a
   * slash, else the first executable of that name on {@code searchPath}.
   *
   * @throws PluginLaunchException when there is no such executable file
   */
  static Path resolve(String command, Path workingDirectory, String searchPath) {
    if (command.isEmpty()) {
      throw PluginLaunchException.before("the plugin command is empty: name an executable", null);
    }
    if (command.contains("/")) {
      return check(workingDirectory.resolve(command).normalize(), command);
    }
    String path = searchPath == null ? "" : searchPath;
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw PluginLaunchException.before(
        "plugin executable "
            + command
            + " was not found on the PATH ("
            + path
            + "): give its path, like ./"
            + command,
        null);
  }

  private static Path check(Path file, String shown) {
    String where = shown.startsWith("/") ? "" : " (looked for " + file + ")";
    if (!Files.exists(file)) {
      throw PluginLaunchException.before(
          "plugin executable " + shown + " does not exist" + where + ": check the path", null);
    }
    if (Files.isDirectory(file)) {
      throw PluginLaunchException.before(
          "plugin executable " + shown + " is a directory" + where + ": name the executable in it",
          null);
    }
    if (!Files.isExecutable(file)) {
      throw PluginLaunchException.before(
          "plugin executable "
              + shown
              + " is not executable"
              + where
              + ": make it so with chmod +x "
              + shown,
          null);
    }
    return file;
  }
}
