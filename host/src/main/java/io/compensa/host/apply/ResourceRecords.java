package io.compensa.host.apply;

import io.compensa.host.compensate.ActionRecords;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import java.util.List;
import java.util.Optional;

/**
 * The records an apply keeps of its resources: the working state, the secrets beside it, and the
 * outcomes it journals. Failures to write a settled record or to remove a deleted resource's
 * secrets become the apply's problems, not exceptions: the action has ended, and the journal keeps
 * what the store lacks. Thread-safe.
 */
final class ResourceRecords implements ActionRecords {
  private final WorkingState state;
  private final ApplyJournal journal;
  private final SecretRouting secrets;
  private final List<String> problems;

  ResourceRecords(
      WorkingState state, ApplyJournal journal, SecretRouting secrets, List<String> problems) {
    this.state = state;
    this.journal = journal;
    this.secrets = secrets;
    this.problems = problems;
  }

  @Override
  public Optional<ResourceState> get(String name) {
    return state.get(name);
  }

  /** Sets the record of {@code name} without writing it. */
  void set(String name, Optional<ResourceState> record) {
    state.set(name, record);
  }

  /** Makes the record of {@code name} durable (the state persistence step). */
  void persist(String name) throws StateStoreException {
    state.persist(name);
  }

  @Override
  public void settle(String name, Optional<ResourceState> record) {
    state.set(name, record);
    try {
      state.persist(name);
    } catch (StateStoreException e) {
      problems.add(
          "the state could not be written after resource \""
              + name
              + "\" settled: "
              + e.getMessage());
    }
  }

  @Override
  public void journalOutcome(ActionOutcome outcome) {
    journal.outcome(outcome, state.get(outcome.getResourceName()));
    CrashPoints.reach(CrashPoints.OUTCOME_JOURNALED, outcome.getStatus().name());
  }

  /** Journals that a post-driver step of {@code actionId} failed: compensation begins. */
  void journalHookFailure(String actionId, String error) {
    journal.hookFailed(actionId, error);
  }

  /** Journals, durably, that a command hook's process of {@code actionId} started. */
  void journalHookStarted(
      String actionId, java.util.List<String> command, ProcessHandle process, int timeout)
      throws io.compensa.host.journal.JournalException {
    journal.hookStarted(
        actionId,
        command,
        process.pid(),
        process.info().startInstant().map(Object::toString).orElse(""),
        timeout);
  }

  /** Moves {@code output}'s sensitive values to the secrets store; the output keeps references. */
  ResourceOutput routeSecrets(String name, ResourceOutput output) throws SecretStoreException {
    return secrets.route(name, output);
  }

  /** Removes the secrets {@code output} refers to: an object of a resource that is gone. */
  void forgetSecretsOf(String name, ResourceOutput output) {
    try {
      secrets.forgetValuesOf(output);
    } catch (SecretStoreException e) {
      problems.add(
          "the secrets of a deleted object of resource \""
              + name
              + "\" could not be removed: "
              + e.getMessage());
    }
  }

  /** Removes the secrets of a resource that no longer exists. */
  @Override
  public void forgetSecrets(String name) {
    try {
      secrets.forget(name);
    } catch (SecretStoreException e) {
      problems.add(
          "the secrets of deleted resource \""
              + name
              + "\" could not be removed: "
              + e.getMessage());
    }
  }
}
