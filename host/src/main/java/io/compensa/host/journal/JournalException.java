package io.compensa.host.journal;

/** The journal could not be read or written; the message names the file and the problem. */
public class JournalException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public JournalException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
