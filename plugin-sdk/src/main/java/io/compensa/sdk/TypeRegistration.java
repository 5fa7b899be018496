package io.compensa.sdk;

/**
 * One registered resource type and the factory of its driver.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the type's description
 * @param factory makes its driver once the plugin's configuration is known
 */
record TypeRegistration(ResourceType type, DriverFactory factory) {}
