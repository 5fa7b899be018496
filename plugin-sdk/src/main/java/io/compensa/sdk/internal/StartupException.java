package io.compensa.sdk.internal;

/**
 * A reason the plugin cannot start serving (bad configuration, no free port), with a message that
 * says what to change. The plugin logs it and exits with status 1 before the handshake.
 *
 * <p>Not modified after construction.
 */
public final class StartupException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to do
   */
  public StartupException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure
   */
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
