package io.compensa.samples.credentials;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Rule sets whose changes are batched: each call only records the change, and {@link BatchFlusher}
 * writes the whole batch to the cloud in FinalizeApply, as rate-limited cloud APIs make drivers do.
 * Thread-safe.
 */
final class RuleSetDriver implements ResourceDriver {
  private final CloudConnection connection;
  private final PendingChanges pending;

  RuleSetDriver(CloudConnection connection, PendingChanges pending) {
    this.connection = connection;
    this.pending = pending;
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    connection.cloud();
    List<String> rules = spec.strings("rules");
    pending.put(new PendingChanges.Change(actionId, spec.name(), Optional.of(rules)));
    return output(spec.name(), rules);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    String name = providerId.isEmpty() ? spec.name() : providerId;
    List<String> rules = connection.cloud().read().rules.get(name);
    if (rules == null) {
      rules = pending.pendingRules(name).orElse(null);
    }
    return rules == null ? ReadResult.absent() : ReadResult.found(output(name, rules));
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    connection.cloud();
    List<String> rules = desired.strings("rules");
    pending.put(
        new PendingChanges.Change(actionId, prior.output().providerId(), Optional.of(rules)));
    return output(prior.output().providerId(), rules);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    connection.cloud();
    pending.put(new PendingChanges.Change(actionId, state.output().providerId(), Optional.empty()));
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) throws DriverException {
    return Objects.equals(desired.strings("rules"), prior.config().get("rules"))
        ? DiffResult.none()
        : DiffResult.update(List.of("rules"));
  }

  private static ResourceOutput output(String name, List<String> rules) {
    return ResourceOutput.of(name).withOutput("rule_count", rules.size());
  }
}
