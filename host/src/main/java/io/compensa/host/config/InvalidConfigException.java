package io.compensa.host.config;

/**
 * The host configuration cannot be used; the message names the file, the setting and the problem.
 */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public InvalidConfigException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
