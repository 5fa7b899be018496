package io.compensa.sdk;

/**
 * Makes a {@link ResourceDriver} once the plugin's configuration is known.
 *
 * <p>Register one with {@link CompensaPlugin.Builder#resource(ResourceType, DriverFactory)} when a
 * driver needs the configuration the host passes in {@code COMPENSA_PLUGIN_CONFIG} (a root
 * directory, an endpoint). {@link CompensaPlugin#serve()} calls it once, before the handshake; an
 * exception it throws stops the plugin with that message. Implementations need not be thread-safe.
 */
@FunctionalInterface
public interface DriverFactory {

  /**
   * Returns the driver for one resource type.
   *
   * @param config the plugin's configuration, empty when the host passed none
   * @return the driver
   */
  ResourceDriver create(PluginConfig config);
}
