package io.compensa.host.journal;

import io.compensa.proto.v1.Plan;
import java.util.Optional;

/**
 * Where a state's apply journal lives. One apply at a time writes it (the state lock guarantees
 * that); an apply that did not finish leaves it unfinished until {@code compensa recover} completes
 * it. Implementations are thread-safe.
 */
public interface Journal {
  /** Keeps no journal: nothing survives a crash. */
  Journal NONE = new Journal() {
    @Override
    public void ensureFinished() {}

    @Override
    public ApplyJournal begin(Plan plan, String failurePolicy, String holder) {
      return ApplyJournal.NONE;
    }

    @Override
    public Optional<JournalLog> unfinished() {
      return Optional.empty();
    }

    @Override
    public ApplyJournal resume() {
      return ApplyJournal.NONE;
    }
  };

  /**
   * Checks that no apply was left unfinished.
   *
   * @throws UnfinishedApplyException naming the plan and saying to run recover
   */
  void ensureFinished() throws JournalException;

  /** Starts the journal of a new apply, replacing a finished one. */
  ApplyJournal begin(Plan plan, String failurePolicy, String holder) throws JournalException;

  /** The records of an unfinished apply, if one was left. */
  Optional<JournalLog> unfinished() throws JournalException;

  /** Appends to the unfinished journal, for recovery. */
  ApplyJournal resume() throws JournalException;
}
