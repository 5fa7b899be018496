package io.compensa.sdk;

import io.compensa.sdk.internal.PluginServiceHandler;
import io.compensa.sdk.internal.StartupException;
import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a plugin's Compensa services: its drivers from the host's configuration, and the Plugin,
 * Driver, Finalizer and Compensable services that serve them. The process and the in-process test
 * kit serve the same ones.
 *
 * <p>Stateless and thread-safe.
 */
final class ContractServices {

  private ContractServices() {}

  /**
   * Returns the Compensa services of a plugin, in the order the manifest lists them.
   *
   * @param definition the plugin's registrations
   * @param drivers the driver of each resource type, by type name
   * @return the services to bind
   */
  static List<BindableService> of(
      PluginDefinition definition, Map<String, ResourceDriver> drivers) {
    List<BindableService> services = new ArrayList<>();
    services.add(new PluginServiceHandler(Manifests.of(definition)));
    services.add(new DriverServiceHandler(drivers));
    definition.finalizer().ifPresent(f -> services.add(new FinalizerServiceHandler(f)));
    definition.compensator().ifPresent(c -> services.add(new CompensableServiceHandler(c)));
    return services;
  }

  /**
   * Makes every registered type's driver from the plugin configuration.
   *
   * @param definition the plugin's registrations
   * @param config the configuration the host passed
   * @return the driver of each resource type, by type name, in registration order
   * @throws StartupException when a factory fails or returns null
   */
  static Map<String, ResourceDriver> drivers(PluginDefinition definition, PluginConfig config)
      throws StartupException {
    Map<String, ResourceDriver> drivers = new LinkedHashMap<>();
    for (TypeRegistration registration : definition.types()) {
      String type = registration.type().name();
      ResourceDriver driver;
      try {
        driver = registration.factory().create(config);
      } catch (RuntimeException failure) {
        throw new StartupException(
            "the driver of resource type \""
                + type
                + "\" could not be made: "
                + failure.getMessage(),
            failure);
      }
      if (driver == null) {
        throw new StartupException(
            "the driver factory of resource type \"" + type + "\" returned null: return a driver");
      }
      drivers.put(type, driver);
    }
    return drivers;
  }
}
