package io.compensa.samples.localfs;

import io.compensa.sdk.ConfiguredResource;
import io.compensa.sdk.DriverException;

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

  /** Reads a file's config; errors name the resource and the key. */
  static FileConfig parse(ConfiguredResource resource) throws DriverException {
    String what = resource.type() + " \"" + resource.name() + "\"";
    return new FileConfig(
        resource.string("path"),
        resource.string("content", ""),
        Mode.parse(resource.string("mode", DEFAULT_MODE), what));
  }

  /** Returns the provider id: the path, normalized. */
  String providerId() {
    return Root.providerId(path);
  }
}
