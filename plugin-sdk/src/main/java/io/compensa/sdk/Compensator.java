package io.compensa.sdk;

/**
 * Undoes one action the plugin's own way, for resource types whose compensation policy is {@link
 * CompensationPolicy#PLUGIN}.
 *
 * <p>Optional: register one with {@link CompensaPlugin.Builder#compensator(Compensator)} and the
 * plugin serves {@code compensa.v1.CompensableService} and declares the COMPENSABLE capability. It
 * must be idempotent (the host may ask again after a lost answer) and thread-safe.
 */
@FunctionalInterface
public interface Compensator {

  /**
   * Undoes one action.
   *
   * @param request the action, what the driver returned, and the prior state
   * @return whether the action was undone, and what remains if not
   * @throws DriverException when the compensation could not even be attempted
   */
  CompensationResult compensate(CompensationRequest request) throws DriverException;
}
