package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import java.util.Map;

/**
 * The configuration of a {@code localfs_directory}: its path under the root and its mode.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the path relative to the root, as the config gives it
 * @param mode its permissions
 */
record DirectoryConfig(String path, Mode mode) {

  /** The mode of a directory whose config does not set one. */
  static final String DEFAULT_MODE = "0755";

  /** Reads a directory's config; {@code resource} names it in errors. */
  static DirectoryConfig parse(Map<String, Object> config, String resource)
      throws DriverException {
    String what = "localfs_directory \"" + resource + "\"";
    return new DirectoryConfig(
        ConfigValues.required(config, "path", what),
        Mode.parse(ConfigValues.optional(config, "mode", DEFAULT_MODE, what), what));
  }

  /** Returns the provider id: the path, normalized. */
  String providerId() {
    return Root.providerId(path);
  }
}
