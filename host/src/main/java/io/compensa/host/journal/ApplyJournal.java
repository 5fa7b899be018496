package io.compensa.host.journal;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ResourceState;
import java.util.List;
import java.util.Optional;

/**
 * Records one apply as it happens, so that a host that dies can be recovered from.
 *
 * <p>The engine reports every plugin call here (through the one place that makes calls): the intent
 * before the call, which must be durable when {@link #intent} returns, then its result; also failed
 * post-driver steps, each action's outcome with the state record it leaves, each plugin's
 * FinalizeApply, and the end of the apply. Implementations are thread-safe.
 */
public interface ApplyJournal {
  /** Records nothing. */
  ApplyJournal NONE = new ApplyJournal() {};

  /** A call is about to be made; returns once the intent is durable. */
  default void intent(String actionId, String call, int attempt) throws JournalException {}

  /** The call answered with {@code response} (a protobuf response message). */
  default void succeeded(String actionId, String call, int attempt, Object response) {}

  /** The call failed. */
  default void failed(String actionId, String call, int attempt, String message) {}

  /** A post-driver step failed; compensation follows. */
  default void hookFailed(String actionId, String error) {}

  /**
   * A command hook's process started for {@code actionId}; returns once the record is durable. The
   * hook is let run only then, so that recover knows of every hook a dead host left running.
   *
   * @throws JournalException when the record cannot be made durable: the hook must not run
   */
  default void hookStarted(
      String actionId, List<String> command, long pid, String processStartedAt, int timeout)
      throws JournalException {}

  /**
   * Whether this journal keeps the state's records itself ({@link #state}), so that the engine's
   * state persistence step may write a resource's record here, durably, and write the whole state
   * snapshot to its store less often (at least once when the apply ends, before {@link #complete}).
   * Recovery replays these records into the state.
   */
  default boolean keepsState() {
    return false;
  }

  /**
   * The state's record of resource {@code name} is now {@code record} (empty: the resource is
   * gone); returns once the record is durable. Only called when {@link #keepsState()} is true.
   *
   * @throws JournalException when the record cannot be made durable
   */
  default void state(String name, Optional<ResourceState> record) throws JournalException {
    throw new UnsupportedOperationException("this journal does not keep state records");
  }

  /** The action's outcome is settled and the state holds {@code record} for its resource. */
  default void outcome(ActionOutcome outcome, Optional<ResourceState> record) {}

  /** The plugin's FinalizeApply answered. */
  default void finalized(String plugin) {}

  /** The apply is finished; recovery has nothing left to do. */
  default void complete() throws JournalException {}

  /**
   * Removes the journal of an apply that is finished in the state store but whose completion could
   * not be recorded ({@link #complete()} failed), so that nothing is left for {@code recover} to
   * settle a second time: the apply's outcomes are then the only ones. A journal that cannot do
   * this throws, and stays unfinished for recover.
   *
   * @throws JournalException when the journal cannot be removed
   */
  default void abandon() throws JournalException {
    throw new JournalException("this journal cannot be removed; run `compensa recover`");
  }
}
