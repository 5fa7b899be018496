package io.compensa.sdk.internal;

import io.compensa.sdk.DriverFactory;
import io.compensa.sdk.ResourceType;

/**
 * One registered resource type and the factory of its driver.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the type's description
 * @param factory makes its driver once the plugin's configuration is known
 */
public record TypeRegistration(ResourceType type, DriverFactory factory) {}
