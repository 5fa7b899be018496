package io.compensa.samples.localfs;

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.Operation;
import io.compensa.sdk.ResourceType;
import java.util.Map;

/**
 * The localfs sample plugin: files and directories under a root directory, with real side effects
 * that tests can check on disk.
 *
 * <p>The host sets the root in the plugin configuration: {@code COMPENSA_PLUGIN_CONFIG={"root":
 * "/abs/dir"}}. Every action kind is compensated by the host's inverse call.
 */
public final class LocalFsPlugin {

  /** The plugin's name in its manifest. */
  public static final String NAME = "localfs";

  /** The plugin's version. */
  public static final String VERSION = "0.1.0";

  /** A text file under the root. */
  static final ResourceType FILE =
      ResourceType.builder("localfs_file")
          .description("A text file under the plugin's root directory.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(
              Map.of(
                  "path",
                  "compensa-sample.txt",
                  "content",
                  "hello from Compensa\n",
                  "mode",
                  "0644"))
          // the same file changed in place: the conformance suite updates to it and back
          .sampleConfig(
              Map.of("path", "compensa-sample.txt", "content", "hello again\n", "mode", "0600"))
          .build();

  /** A directory under the root. */
  static final ResourceType DIRECTORY =
      ResourceType.builder("localfs_directory")
          .description("A directory under the plugin's root directory.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(Map.of("path", "compensa-sample-dir", "mode", "0755"))
          .sampleConfig(Map.of("path", "compensa-sample-dir", "mode", "0700"))
          .build();

  private LocalFsPlugin() {}

  /**
   * Serves the plugin to the host that launched it.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    plugin().serve();
  }

  /**
   * Returns the plugin with its registrations: what {@link #main} serves and what tests serve
   * in-process.
   *
   * @return the plugin, ready to serve
   */
  public static CompensaPlugin plugin() {
    return CompensaPlugin.builder()
        .name(NAME)
        .version(VERSION)
        .resource(FILE, config -> new FileDriver(Root.from(config)))
        .resource(DIRECTORY, config -> new DirectoryDriver(Root.from(config)))
        .build();
  }
}
