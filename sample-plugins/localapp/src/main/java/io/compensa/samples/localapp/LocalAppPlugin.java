package io.compensa.samples.localapp;

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.Operation;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ResourceType;
import java.nio.file.Path;
import java.util.Map;

/**
 * The localapp sample plugin: apps ({@code localapp_app}, create-before-delete) and the fronts that
 * route users to them ({@code localapp_route}). The host sets the plugin's root, where its registry
 * and the services' logs live: {@code COMPENSA_PLUGIN_CONFIG={"root": "/abs/dir"}}.
 */
public final class LocalAppPlugin {

  /** A running version of a web app; a new version runs beside the old until it is checked. */
  static final ResourceType APP =
      ResourceType.builder("localapp_app")
          .description(
              "A running version of a tiny web app on a free port of 127.0.0.1. Any change is a"
                  + " replace, created before the old version is deleted.")
          .operations(Operation.CREATE, Operation.READ, Operation.DELETE, Operation.DIFF)
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .createBeforeDelete(true)
          .sampleConfig(Map.of("app", "sample", "version", "v1"))
          .build();

  /** A front users hit, and the app version it sends them to. */
  static final ResourceType ROUTE =
      ResourceType.builder("localapp_route")
          .description(
              "A front (an HTTP proxy on 127.0.0.1) and the running app version it routes to.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .build();

  private LocalAppPlugin() {}

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
   * @return the plugin
   */
  public static CompensaPlugin plugin() {
    return CompensaPlugin.builder()
        .name("localapp")
        .version("0.1.0")
        .resource(APP, config -> new AppDriver(registry(config)))
        .resource(ROUTE, config -> new RouteDriver(registry(config)))
        .build();
  }

  /** The registry under the configured root; without one, each call says how to set it. */
  private static Registry registry(PluginConfig config) {
    return new Registry(config.string("root").map(Path::of).orElse(null));
  }
}
