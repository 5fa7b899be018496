package io.compensa.host.journal;

import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.Plan;
import java.util.Optional;

/**
 * Where a state's apply journal lives. One apply at a time writes it (the state lock guarantees
 * that); an apply that did not finish leaves it unfinished until {@code compensa recover} completes
 * it. Implementations are thread-safe.
 */
public interface Journal {
  /** Keeps no journal: nothing survives a crash. */
  Journal NONE =
      new Journal() {
        @Override
        public String location() {
          return "no journal";
        }

        @Override
        public ApplyJournal begin(JournalBegin begin) {
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

  /** Where the journal lives, for messages: {@code journal PATH}, or a URL, password masked. */
  String location();

  /**
   * Where {@code compensa recover} may run, for messages: empty, or for example {@code " (from any
   * machine)"}.
   */
  default String recoverFrom() {
    return "";
  }

  /**
   * Checks that no apply was left unfinished.
   *
   * @throws UnfinishedApplyException naming the plan and saying to run recover
   */
  default void ensureFinished() throws JournalException {
    Optional<JournalLog> left = unfinished();
    if (left.isPresent()) {
      throw new UnfinishedApplyException(
          "an earlier apply of plan "
              + left.get().plan().getId()
              + " did not finish ("
              + location()
              + "): run `compensa recover` to finish it first"
              + recoverFrom());
    }
  }

  /** Starts the journal of a new apply with its first record, replacing a finished journal. */
  ApplyJournal begin(JournalBegin begin) throws JournalException;

  /**
   * Starts the journal of a new apply run by this process, for callers that have no plugin process
   * ids to record.
   */
  default ApplyJournal begin(Plan plan, String failurePolicy, String holder)
      throws JournalException {
    return begin(
        JournalBegin.newBuilder()
            .setPlan(plan)
            .setFailurePolicy(failurePolicy)
            .setHolder(holder)
            .setStartedAt(java.time.Instant.now().toString())
            .setHostPid(ProcessHandle.current().pid())
            .setHostName(LeftoverProcesses.hostName())
            .build());
  }

  /** The records of an unfinished apply, if one was left. */
  Optional<JournalLog> unfinished() throws JournalException;

  /**
   * The records of the last apply, finished or not, when the journal still holds them (a file
   * journal keeps the last apply's until the next one begins); by default only an unfinished one.
   */
  default Optional<JournalLog> last() throws JournalException {
    return unfinished();
  }

  /** Appends to the unfinished journal, for recovery. */
  ApplyJournal resume() throws JournalException;
}
