package io.compensa.host.journal;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.ResourceState;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open apply's journal, written as {@link JournalRecords}: this class decides which event is a
 * record, which records must be durable before the apply goes on (the intent of a call, a state
 * record, the completion) and what a failure to write one means; a backend ({@link FileJournal},
 * the PostgreSQL store's journal) only stores records. Thread-safe when the backend's appends are.
 */
public abstract class JournalWriter implements ApplyJournal {
  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

  /** For subclasses. */
  protected JournalWriter() {}

  /** Where the records go, for messages: {@code journal /path} or {@code the journal of ...}. */
  protected abstract String location();

  /**
   * Appends {@code record} and returns once it, and every record appended before it, is durable.
   *
   * @throws Exception when the record cannot be stored or made durable
   */
  protected abstract void appendDurably(JournalRecord record) throws Exception;

  /**
   * Appends {@code record}; it becomes durable with the next durable append at the latest.
   *
   * @throws Exception when the record cannot be stored
   */
  protected abstract void append(JournalRecord record) throws Exception;

  /**
   * Releases what the writer holds, once the completion record is durable.
   *
   * @throws Exception when the release fails
   */
  protected void close() throws Exception {}

  @Override
  public void intent(String actionId, String call, int attempt) throws JournalException {
    durably(
        JournalRecords.intent(actionId, call, attempt),
        "cannot record the intent of " + call + " in " + location(),
        "; the call was not made");
  }

  @Override
  public void succeeded(String actionId, String call, int attempt, Object response) {
    quietly(JournalRecords.succeeded(actionId, call, attempt, response));
  }

  @Override
  public void failed(String actionId, String call, int attempt, String message) {
    quietly(JournalRecords.failed(actionId, call, attempt, message));
  }

  @Override
  public void hookFailed(String actionId, String error) {
    quietly(JournalRecords.hookFailure(actionId, error));
  }

  @Override
  public void hookStarted(
      String actionId, List<String> command, long pid, String processStartedAt, int timeout)
      throws JournalException {
    durably(
        JournalRecords.hookStarted(actionId, command, pid, processStartedAt, timeout),
        "cannot record the start of command hook " + command + " in " + location(),
        "; the hook was not run");
  }

  @Override
  public void outcome(ActionOutcome outcome, Optional<ResourceState> record) {
    quietly(JournalRecords.outcome(outcome, record));
  }

  @Override
  public void finalized(String plugin) {
    quietly(JournalRecords.finalized(plugin));
  }

  @Override
  public void complete() throws JournalException {
    durably(JournalRecords.complete(), "cannot mark " + location() + " complete", "");
    try {
      close();
    } catch (Exception e) {
      throw new JournalException(
          "cannot close " + location() + " after completing it: " + e.getMessage(), e);
    }
  }

  /**
   * Appends {@code record} durably; a failure becomes a {@link JournalException} whose message is
   * {@code failure}, the cause's message and {@code consequence}.
   */
  protected final void durably(JournalRecord record, String failure, String consequence)
      throws JournalException {
    try {
      appendDurably(record);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new JournalException(failure + ": " + e.getMessage() + consequence, e);
    }
  }

  private void quietly(JournalRecord record) {
    try {
      append(record);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // the next durable record (an intent, the outcome's state, the completion) fails loudly
      log.error("cannot append to {}: {}", location(), e.getMessage());
    }
  }
}
