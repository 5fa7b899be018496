package io.compensa.samples.localfs;

import io.compensa.sdk.ConfiguredResource;
import io.compensa.sdk.DriverException;

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

  /** Reads a directory's config; errors name the resource and the key. */
  static DirectoryConfig parse(ConfiguredResource resource) throws DriverException {
    String what = resource.type() + " \"" + resource.name() + "\"";
    return new DirectoryConfig(
        resource.string("path"), Mode.parse(resource.string("mode", DEFAULT_MODE), what));
  }

  /** Returns the provider id: the path, normalized. */
  String providerId() {
    return Root.providerId(path);
  }
}
