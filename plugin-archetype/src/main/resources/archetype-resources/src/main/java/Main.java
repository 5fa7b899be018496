package ${package};

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.Operation;
import io.compensa.sdk.ResourceType;
import java.util.Map;

/**
 * The ${pluginName} plugin: text files under a root directory that the host names in the plugin
 * configuration, {@code COMPENSA_PLUGIN_CONFIG={"root": "/absolute/dir"}}.
 */
public final class Main {

  /** A text file under the plugin's root; the host undoes each action by the inverse call. */
  static final ResourceType FILE =
      ResourceType.builder("${pluginName}_file")
          .description("A text file under the plugin's root directory.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          // what `compensa conformance` creates, then updates to, then deletes
          .sampleConfig(Map.of("path", "compensa-sample.txt", "content", "hello\n"))
          .sampleConfig(Map.of("path", "compensa-sample.txt", "content", "hello again\n"))
          .build();

  private Main() {}

  /**
   * Returns the plugin with its registrations: what {@link #main} serves, and what the tests serve
   * in-process.
   *
   * @return the plugin
   */
  public static CompensaPlugin plugin() {
    return CompensaPlugin.builder()
        .name("${pluginName}")
        .version("${version}")
        .resource(FILE, FileDriver::new)
        .build();
  }

  /**
   * Serves the plugin to the Compensa host that launched it.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    plugin().serve();
  }
}
