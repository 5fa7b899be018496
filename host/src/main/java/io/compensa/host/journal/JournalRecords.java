package io.compensa.host.journal;

import io.compensa.host.secrets.SensitiveOutputs;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalCall;
import io.compensa.proto.v1.JournalComplete;
import io.compensa.proto.v1.JournalFinalized;
import io.compensa.proto.v1.JournalHookFailure;
import io.compensa.proto.v1.JournalHookStarted;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.JournalState;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.UpdateResponse;
import java.util.List;
import java.util.Optional;

/**
 * The journal's record semantics, written once: which {@link JournalRecord} each event of an {@link
 * ApplyJournal} becomes, whatever stores it (the file journal's lines, the PostgreSQL journal's
 * rows). A call's result keeps the driver's output (what recovery needs to run the lost post-driver
 * steps) without its sensitive values: secrets never reach a journal.
 */
public final class JournalRecords {
  private JournalRecords() {}

  /** The start of an apply. */
  public static JournalRecord begin(JournalBegin begin) {
    return JournalRecord.newBuilder().setBegin(begin).build();
  }

  /** A call is about to be made (durable before it is). */
  public static JournalRecord intent(String actionId, String call, int attempt) {
    return JournalRecord.newBuilder()
        .setCall(call(actionId, call, attempt, JournalCall.Phase.PHASE_INTENT))
        .build();
  }

  /** A call succeeded; a Create's or Update's output is kept, without sensitive values. */
  public static JournalRecord succeeded(
      String actionId, String call, int attempt, Object response) {
    JournalCall.Builder record = call(actionId, call, attempt, JournalCall.Phase.PHASE_SUCCEEDED);
    ResourceOutput output = null;
    if (response instanceof CreateResponse) {
      output = ((CreateResponse) response).getOutput();
    } else if (response instanceof UpdateResponse) {
      output = ((UpdateResponse) response).getOutput();
    }
    if (output != null) {
      record.setOutput(SensitiveOutputs.withoutValues(output));
    }
    return JournalRecord.newBuilder().setCall(record).build();
  }

  /** A call failed with {@code message}. */
  public static JournalRecord failed(String actionId, String call, int attempt, String message) {
    return JournalRecord.newBuilder()
        .setCall(call(actionId, call, attempt, JournalCall.Phase.PHASE_FAILED).setMessage(message))
        .build();
  }

  /** A post-driver step of the action failed: compensation begins. */
  public static JournalRecord hookFailure(String actionId, String error) {
    return JournalRecord.newBuilder()
        .setHookFailure(JournalHookFailure.newBuilder().setActionId(actionId).setError(error))
        .build();
  }

  /** A command hook's process of {@code actionId} started and waits to be let run. */
  public static JournalRecord hookStarted(
      String actionId, List<String> command, long pid, String processStartedAt, int timeout) {
    return JournalRecord.newBuilder()
        .setHookStarted(
            JournalHookStarted.newBuilder()
                .setActionId(actionId)
                .addAllCommand(command)
                .setPid(pid)
                .setProcessStartedAt(processStartedAt)
                .setTimeoutSeconds(timeout))
        .build();
  }

  /** An action ended, leaving {@code record} for its resource (empty: no record). */
  public static JournalRecord outcome(ActionOutcome outcome, Optional<ResourceState> record) {
    JournalOutcome.Builder entry = JournalOutcome.newBuilder().setOutcome(outcome);
    record.ifPresent(entry::setRecord);
    return JournalRecord.newBuilder().setOutcome(entry).build();
  }

  /** The state persistence step of resource {@code name} (empty: the record is removed). */
  public static JournalRecord state(String name, Optional<ResourceState> record) {
    JournalState.Builder entry = JournalState.newBuilder().setResourceName(name);
    record.ifPresent(entry::setRecord);
    return JournalRecord.newBuilder().setState(entry).build();
  }

  /** FinalizeApply of {@code plugin} was answered. */
  public static JournalRecord finalized(String plugin) {
    return JournalRecord.newBuilder()
        .setFinalized(JournalFinalized.newBuilder().setPlugin(plugin))
        .build();
  }

  /** The apply is complete: nothing is left for recover. */
  public static JournalRecord complete() {
    return JournalRecord.newBuilder().setComplete(JournalComplete.getDefaultInstance()).build();
  }

  private static JournalCall.Builder call(
      String actionId, String call, int attempt, JournalCall.Phase phase) {
    return JournalCall.newBuilder()
        .setActionId(actionId)
        .setCall(call)
        .setAttempt(attempt)
        .setPhase(phase);
  }
}
