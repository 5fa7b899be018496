package io.compensa.host.journal;

import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalCall;
import io.compensa.proto.v1.JournalHookStarted;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.JournalState;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An apply's journal as read back: the plan, per action its calls, failed steps and last outcome,
 * and per resource the last record its state persistence steps journaled. Immutable.
 */
public final class JournalLog {
  private final JournalBegin begin;
  private final Plan plan;
  private final String failurePolicy;
  private final boolean complete;
  private final boolean tornTail;
  private final Map<String, List<JournalCall>> calls = new HashMap<>();
  private final Map<String, String> hookFailures = new HashMap<>();
  private final Map<String, JournalOutcome> outcomes = new LinkedHashMap<>();
  private final Set<String> finalized = new HashSet<>();
  private final List<JournalHookStarted> hooks = new ArrayList<>();
  private final Map<String, Optional<ResourceState>> states = new LinkedHashMap<>();

  JournalLog(List<JournalRecord> records, boolean tornTail) throws JournalException {
    this.tornTail = tornTail;
    if (records.isEmpty() || !records.get(0).hasBegin()) {
      throw new JournalException("the journal does not start with its plan");
    }
    this.begin = records.get(0).getBegin();
    this.plan = begin.getPlan();
    this.failurePolicy = records.get(0).getBegin().getFailurePolicy();
    boolean done = false;
    for (JournalRecord record : records.subList(1, records.size())) {
      switch (record.getRecordCase()) {
        case CALL:
          calls
              .computeIfAbsent(record.getCall().getActionId(), k -> new ArrayList<>())
              .add(record.getCall());
          break;
        case HOOK_FAILURE:
          hookFailures.put(
              record.getHookFailure().getActionId(), record.getHookFailure().getError());
          break;
        case OUTCOME:
          outcomes.put(record.getOutcome().getOutcome().getActionId(), record.getOutcome());
          break;
        case STATE:
          JournalState state = record.getState();
          states.remove(state.getResourceName()); // keep the order of the last record
          states.put(
              state.getResourceName(),
              state.hasRecord() ? Optional.of(state.getRecord()) : Optional.empty());
          break;
        case HOOK_STARTED:
          hooks.add(record.getHookStarted());
          break;
        case FINALIZED:
          finalized.add(record.getFinalized().getPlugin());
          break;
        case COMPLETE:
          done = true;
          break;
        default:
          throw new JournalException(
              "the journal holds a record of unknown kind " + record.getRecordCase());
      }
    }
    this.complete = done;
  }

  /**
   * An apply's journal from its records, for journals kept elsewhere than in a file.
   *
   * @param tornTail whether a last record was found cut short and ignored
   * @throws JournalException when the records do not start with the plan or hold an unknown kind
   */
  public static JournalLog of(List<JournalRecord> records, boolean tornTail)
      throws JournalException {
    return new JournalLog(records, tornTail);
  }

  /** The journal's first record: the plan, the policy and who applied it. */
  public JournalBegin begin() {
    return begin;
  }

  /** The plan the apply ran. */
  public Plan plan() {
    return plan;
  }

  /** The apply's failure policy name. */
  public String failurePolicy() {
    return failurePolicy;
  }

  /** Whether the apply finished. */
  public boolean complete() {
    return complete;
  }

  /** Whether the last record was cut short by a crash mid-write (and was ignored). */
  public boolean tornTail() {
    return tornTail;
  }

  /** The calls journaled for {@code actionId}, in order. */
  public List<JournalCall> calls(String actionId) {
    return calls.getOrDefault(actionId, List.of());
  }

  /** The failed post-driver step of {@code actionId}, if one failed. */
  public Optional<String> hookFailure(String actionId) {
    return Optional.ofNullable(hookFailures.get(actionId));
  }

  /** The last outcome journaled for {@code actionId}. */
  public Optional<JournalOutcome> outcome(String actionId) {
    return Optional.ofNullable(outcomes.get(actionId));
  }

  /**
   * The last state record journaled for each resource by a state persistence step (empty: the
   * resource was gone), in the order those last records were journaled.
   */
  public Map<String, Optional<ResourceState>> states() {
    return java.util.Collections.unmodifiableMap(states);
  }

  /** Every journaled outcome, in the order first journaled. */
  public List<JournalOutcome> outcomes() {
    return List.copyOf(outcomes.values());
  }

  /** The command hook processes the apply started, in order. */
  public List<JournalHookStarted> hooks() {
    return List.copyOf(hooks);
  }

  /** Whether {@code plugin}'s FinalizeApply already answered. */
  public boolean finalized(String plugin) {
    return finalized.contains(plugin);
  }
}
