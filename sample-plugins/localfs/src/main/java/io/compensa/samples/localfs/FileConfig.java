package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import java.util.Map;

/**
 * The configuration of a {@code localfs_file}: its path under the root, its content, its mode.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the path relative to the root, as the config gives it
 * @param content the file's text, written as UTF-8
 * @param mode its permissions
 */
record FileConfig(String path, String content, Mode mode) {

  /** The mode of a file whose config does not set one. */
  static final String DEFAULT_MODE = "0644";

  /** Reads a file's config; {@code resource} names it in errors. */
  static FileConfig parse(Map<String, Object> config, String resource) throws DriverException {
    String what = "localfs_file \"" + resource + "\"";
    return new FileConfig(
        ConfigValues.required(config, "path", what),
        ConfigValues.optional(config, "content", "", what),
        Mode.parse(ConfigValues.optional(config, "mode", DEFAULT_MODE, what), what));
  }

  /** Returns the provider id: the path, normalized. */
  String providerId() {
    return Root.providerId(path);
  }
}
