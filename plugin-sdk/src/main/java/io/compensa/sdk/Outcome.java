package io.compensa.sdk;

import java.util.Objects;

/**
 * The recorded result of one plan action, as a {@link Finalizer} sees it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param actionId the plan action's id
 * @param resourceName the resource's name
 * @param kind what the action did
 * @param status how it ended
 * @param driverOutput what the driver returned; its provider id is empty when it returned nothing
 */
public record Outcome(
    String actionId,
    String resourceName,
    ActionKind kind,
    ActionStatus status,
    ResourceOutput driverOutput) {

  /**
   * Creates the outcome, checking and copying its fields.
   *
   * @param actionId the plan action's id
   * @param resourceName the resource's name
   * @param kind what the action did
   * @param status how it ended
   * @param driverOutput what the driver returned; its provider id is empty when it returned nothing
   */
  public Outcome {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    driverOutput = driverOutput == null ? ResourceOutput.of("") : driverOutput;
  }
}
