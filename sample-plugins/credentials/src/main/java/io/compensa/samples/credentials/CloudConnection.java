package io.compensa.samples.credentials;

import io.compensa.sdk.DriverException;
import io.compensa.sdk.PluginConfig;
import java.nio.file.Path;

/**
 * The cloud this plugin talks to, known once the host hands over the plugin's configuration ({@code
 * {"cloud": "/path/to/cloud.json"}}). Shared by the drivers, the finalizer and the compensator.
 * Thread-safe.
 */
final class CloudConnection {
  private volatile Cloud cloud;

  /** Remembers the configured cloud file; called when the drivers are made. */
  void configure(PluginConfig config) {
    cloud = config.string("cloud").map(path -> new Cloud(Path.of(path))).orElse(null);
  }

  /** The cloud, or a clear error when the configuration names none. */
  Cloud cloud() throws DriverException {
    Cloud current = cloud;
    if (current == null) {
      throw DriverException.preconditionFailed(
          "credentials has no cloud file: set \"cloud\" in its plugin configuration, e.g. {\"cloud\": \"/tmp/cloud.json\"}");
    }
    return current;
  }
}
