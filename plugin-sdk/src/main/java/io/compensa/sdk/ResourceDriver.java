package io.compensa.sdk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The code that makes one resource type exist, change and go away: what a plugin author writes.
 *
 * <p>Register one per type with {@link CompensaPlugin.Builder#resource(ResourceType,
 * ResourceDriver)}. Report failures by throwing {@link DriverException}; any other exception is
 * reported to the host as a non-retryable internal error.
 *
 * <p>Implementations must be thread-safe: the host applies independent actions in parallel and one
 * plugin process serves those calls concurrently, each on an SDK worker thread (never on a network
 * thread, so blocking is fine).
 *
 * <p>Idempotency is part of the contract: the host may repeat any call after a lost answer. A
 * {@code create} with an action id that already created the resource returns that resource instead
 * of creating a second one, and a {@code delete} of a resource that is already gone succeeds.
 */
public interface ResourceDriver {

  /**
   * Creates a resource.
   *
   * @param actionId the plan action's id, an idempotency key
   * @param spec the resource to create
   * @return the new resource's output; its provider id must not be empty
   * @throws DriverException when the resource could not be created
   */
  ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException;

  /**
   * Reports whether a resource exists and what it looks like now.
   *
   * @param spec the resource as the host knows it
   * @param providerId the recorded provider id, or an empty string when the host knows none
   * @return what was found
   * @throws DriverException when the provider could not be asked
   */
  ReadResult read(ResourceSpec spec, String providerId) throws DriverException;

  /**
   * Changes an existing resource to a new configuration.
   *
   * @param actionId the plan action's id, an idempotency key
   * @param desired the desired resource
   * @param prior the recorded state before the update
   * @return the resource's output after the update
   * @throws DriverException when the resource could not be updated
   */
  ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException;

  /**
   * Removes a resource; succeeds when it is already gone.
   *
   * @param actionId the plan action's id, an idempotency key
   * @param state the recorded state of the resource
   * @throws DriverException when the resource exists and could not be removed
   */
  void delete(String actionId, ResourceState state) throws DriverException;

  /**
   * Says what it takes to get from the recorded state to the desired spec.
   *
   * <p>The default compares the two configurations key by key: no difference is {@link
   * DiffResult.Change#NONE}, any difference is {@link DiffResult.Change#UPDATE}. Override it when
   * some keys cannot change in place.
   *
   * @param desired the desired resource
   * @param prior the recorded state
   * @return the change needed
   * @throws DriverException when the driver cannot tell
   */
  default DiffResult diff(ResourceSpec desired, ResourceState prior) throws DriverException {
    Set<String> keys = new LinkedHashSet<>(prior.config().keySet());
    keys.addAll(desired.config().keySet());
    List<String> changed = new ArrayList<>();
    for (String key : keys) {
      boolean same =
          desired.config().containsKey(key) == prior.config().containsKey(key)
              && Objects.equals(desired.config().get(key), prior.config().get(key));
      if (!same) {
        changed.add(key);
      }
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.update(changed);
  }
}
