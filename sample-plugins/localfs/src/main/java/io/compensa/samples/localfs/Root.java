package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import io.compensa.sdk.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directory every localfs resource lives under, from the plugin configuration key {@code root},
 * and the rule that no resource path escapes it.
 *
 * <p>Immutable and thread-safe.
 */
final class Root {

  /** The folder under the root where localfs keeps its own records; no resource may use it. */
  static final String RESERVED = ".localfs";

  private final Optional<Path> directory;

  private Root(Optional<Path> directory) {
    this.directory = directory;
  }

  /**
   * Returns the root the plugin configuration names; a plugin without one still describes itself,
   * and its driver calls fail with a message that says how to set it.
   */
  static Root from(PluginConfig config) {
    return new Root(
        config
            .string("root")
            .filter(s -> !s.isBlank())
            .map(s -> Path.of(s).toAbsolutePath().normalize()));
  }

  /** Returns a root at a known directory. */
  static Root at(Path directory) {
    return new Root(Optional.of(directory.toAbsolutePath().normalize()));
  }

  /** Returns the root directory, which must exist. */
  Path directory() throws DriverException {
    Path dir = configured();
    if (!Files.isDirectory(dir)) {
      throw DriverException.preconditionFailed(
          "localfs root "
              + dir
              + " is not a directory: create it, or point \"root\" in the"
              + " plugin configuration at an existing directory");
    }
    return dir;
  }

  /** Returns the root directory the configuration names, without looking at the disk. */
  private Path configured() throws DriverException {
    return directory.orElseThrow(
        () ->
            DriverException.preconditionFailed(
                "localfs has no root directory: set \"root\" in its plugin configuration"
                    + " (COMPENSA_PLUGIN_CONFIG={\"root\": \"/absolute/dir\"})"));
  }

  /**
   * Returns the absolute path of a resource path, refusing absolute paths, paths that leave the
   * root (through {@code ..} or a symbolic link) and localfs's own folder. The root must exist.
   */
  Path resolve(String relative) throws DriverException {
    directory();
    return lookup(relative);
  }

  /**
   * Returns what {@link #resolve} returns, with the same refusals, but without checking that the
   * root exists: for a read, which checks the root only when the resource is not found, so that the
   * usual lookup costs one file-system call instead of several.
   */
  Path lookup(String relative) throws DriverException {
    Path dir = configured();
    Path given = Path.of(relative);
    if (given.isAbsolute()) {
      throw DriverException.invalidConfig(
          "path \"" + relative + "\" is absolute: give a path relative to the root " + dir);
    }
    Path normal = given.normalize();
    if (normal.toString().isEmpty() || normal.startsWith("..")) {
      throw DriverException.invalidConfig(
          "path \""
              + relative
              + "\" leaves the root "
              + dir
              + ": give a path inside it, without leading \"..\"");
    }
    if (normal.getName(0).toString().equals(RESERVED)) {
      throw DriverException.invalidConfig(
          "path \""
              + relative
              + "\" is inside "
              + RESERVED
              + ", where localfs keeps its records:"
              + " choose another path");
    }
    Path absolute = dir.resolve(normal);
    Path parent = absolute.getParent();
    // a path directly under the root has the root as parent: no link to leave it through
    if (normal.getNameCount() > 1 && Files.exists(parent)) {
      try {
        if (!parent.toRealPath().startsWith(dir.toRealPath())) {
          throw DriverException.invalidConfig(
              "path \""
                  + relative
                  + "\" leads out of the root "
                  + dir
                  + " through a symbolic link: give a path inside it");
        }
      } catch (IOException unreadable) {
        throw DriverException.failed("cannot resolve " + parent + ": " + unreadable, unreadable);
      }
    }
    return absolute;
  }

  /** Returns a path relative to the root in the form used as provider id. */
  static String providerId(String relative) {
    return Path.of(relative).normalize().toString();
  }
}
