package io.compensa.host.journal;

/**
 * An earlier apply on this state did not finish; the message says to run {@code compensa recover}.
 */
public final class UnfinishedApplyException extends JournalException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public UnfinishedApplyException(String message) {
    super(message);
  }
}
