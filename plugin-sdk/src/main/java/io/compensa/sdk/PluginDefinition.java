package io.compensa.sdk;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a plugin registered on its builder, as the serving code needs it.
 *
 * <p>Immutable and thread-safe when the registered objects are.
 *
 * @param name the plugin's name
 * @param version the plugin's version
 * @param types the resource types and their driver factories, in registration order
 * @param finalizer the finalizer, if registered
 * @param compensator the compensator, if registered
 * @param cookieKey the magic cookie's environment variable
 * @param cookieValue the magic cookie's expected value
 * @param appVersions the app protocol versions the plugin speaks
 */
record PluginDefinition(
    String name,
    String version,
    List<TypeRegistration> types,
    Optional<Finalizer> finalizer,
    Optional<Compensator> compensator,
    String cookieKey,
    String cookieValue,
    Set<Integer> appVersions) {

  /**
   * Creates the plugin definition, checking and copying its fields.
   *
   * @param name the plugin's name
   * @param version the plugin's version
   * @param types the resource types and their driver factories, in registration order
   * @param finalizer the finalizer, if registered
   * @param compensator the compensator, if registered
   * @param cookieKey the magic cookie's environment variable
   * @param cookieValue the magic cookie's expected value
   * @param appVersions the app protocol versions the plugin speaks
   */
  public PluginDefinition {
    types = List.copyOf(types);
    appVersions = Set.copyOf(appVersions);
  }
}
