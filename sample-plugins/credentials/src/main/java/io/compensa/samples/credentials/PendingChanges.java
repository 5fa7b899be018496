package io.compensa.samples.credentials;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rule-set changes accepted by the driver and waiting for FinalizeApply to flush them, keyed by the
 * action that asked for each (so a repeated call replaces, never duplicates). Thread-safe.
 */
final class PendingChanges {
  /** One deferred change; {@code rules} is empty for a delete. */
  record Change(String actionId, String ruleSet, Optional<List<String>> rules) {}

  private final Map<String, Change> byAction = new ConcurrentHashMap<>();

  void put(Change change) {
    byAction.put(change.actionId(), change);
  }

  Optional<Change> remove(String actionId) {
    return Optional.ofNullable(byAction.remove(actionId));
  }

  Optional<Change> get(String actionId) {
    return Optional.ofNullable(byAction.get(actionId));
  }

  /** Whether a pending change creates or keeps {@code ruleSet}. */
  Optional<List<String>> pendingRules(String ruleSet) {
    return byAction.values().stream()
        .filter(c -> c.ruleSet().equals(ruleSet) && c.rules().isPresent())
        .map(c -> c.rules().get())
        .findFirst();
  }
}
