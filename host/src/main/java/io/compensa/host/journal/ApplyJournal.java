package io.compensa.host.journal;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ResourceState;
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

  /** The action's outcome is settled and the state holds {@code record} for its resource. */
  default void outcome(ActionOutcome outcome, Optional<ResourceState> record) {}

  /** The plugin's FinalizeApply answered. */
  default void finalized(String plugin) {}

  /** The apply is finished; recovery has nothing left to do. */
  default void complete() throws JournalException {}
}
