package io.compensa.samples.credentials;

import io.compensa.sdk.ActionStatus;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.CompensationResult;
import io.compensa.sdk.Compensator;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.Finalizer;
import io.compensa.sdk.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the batched rule-set changes in FinalizeApply, and drops a batched change when the host
 * asks to compensate its action.
 *
 * <p>A flush writes the rule sets one by one. If it fails part-way, it puts every rule set back as
 * it was before the flush and reports each batched action COMPENSATED: the plugin undid the work
 * itself, and the host records that. Thread-safe.
 */
final class BatchFlusher implements Finalizer, Compensator {
  private static final Logger log = LoggerFactory.getLogger(BatchFlusher.class);

  private final CloudConnection connection;
  private final PendingChanges pending;

  BatchFlusher(CloudConnection connection, PendingChanges pending) {
    this.connection = connection;
    this.pending = pending;
  }

  @Override
  public synchronized FinalizeResult finalizeApply(String planId, List<Outcome> outcomes)
      throws DriverException {
    List<PendingChanges.Change> batch = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      Optional<PendingChanges.Change> change = pending.remove(outcome.actionId());
      if (change.isPresent() && outcome.status() == ActionStatus.SUCCESS) {
        batch.add(change.get());
      }
    }
    if (batch.isEmpty()) {
      return FinalizeResult.ok();
    }
    String failure =
        connection
            .cloud()
            .update(
                data -> {
                  Map<String, List<String>> before = Cloud.copyRules(data);
                  int written = 0;
                  for (PendingChanges.Change change : batch) {
                    if (data.faults.flushFailAfter >= 0 && written >= data.faults.flushFailAfter) {
                      data.rules = before;
                      return "the cloud refused rule set \""
                          + change.ruleSet()
                          + "\" after "
                          + written
                          + " of "
                          + batch.size()
                          + " were written";
                    }
                    if (change.rules().isPresent()) {
                      data.rules.put(change.ruleSet(), new ArrayList<>(change.rules().get()));
                    } else {
                      data.rules.remove(change.ruleSet());
                    }
                    written++;
                  }
                  return null;
                });
    if (failure == null) {
      log.info("flushed {} rule-set changes for plan {}", batch.size(), planId);
      return FinalizeResult.ok();
    }
    log.warn("rule-set flush for plan {} failed and was rolled back: {}", planId, failure);
    FinalizeResult result =
        FinalizeResult.ok().withError("", "rule-set flush failed and was rolled back: " + failure);
    for (PendingChanges.Change change : batch) {
      result =
          result.withCompensated(
              change.actionId(),
              "the batched flush failed part-way ("
                  + failure
                  + ") and the plugin rolled the whole batch back");
    }
    return result;
  }

  @Override
  public CompensationResult compensate(CompensationRequest request) throws DriverException {
    Optional<PendingChanges.Change> dropped = pending.remove(request.actionId());
    return CompensationResult.compensated(
        dropped.isPresent()
            ? "dropped the batched change to \""
                + dropped.get().ruleSet()
                + "\" before it was flushed"
            : "nothing of this action was pending or flushed");
  }
}
