package io.compensa.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * What the host asks a {@link Compensator} to undo.
 *
 * <p>Immutable and thread-safe.
 *
 * @param actionId the plan action's id
 * @param kind what the action did
 * @param resource the action's resource (for a DELETE, the resource that was deleted)
 * @param driverOutput what the driver returned for the action
 * @param prior the recorded state before the action; empty for a CREATE
 * @param reason why the host asks: the post-driver step that failed
 */
public record CompensationRequest(
    String actionId,
    ActionKind kind,
    ResourceSpec resource,
    ResourceOutput driverOutput,
    Optional<ResourceState> prior,
    String reason) {

  /**
   * Creates the compensation request, checking and copying its fields.
   *
   * @param actionId the plan action's id
   * @param kind what the action did
   * @param resource the action's resource (for a DELETE, the resource that was deleted)
   * @param driverOutput what the driver returned for the action
   * @param prior the recorded state before the action; empty for a CREATE
   * @param reason why the host asks: the post-driver step that failed
   */
  public CompensationRequest {
    Objects.requireNonNull(actionId, "actionId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    driverOutput = driverOutput == null ? ResourceOutput.of("") : driverOutput;
    prior = prior == null ? Optional.empty() : prior;
    reason = reason == null ? "" : reason;
  }
}
