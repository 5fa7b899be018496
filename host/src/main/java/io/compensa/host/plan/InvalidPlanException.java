package io.compensa.host.plan;

/**
 * A plan that must not run: malformed, or inconsistent with itself or with the plugins that serve
 * it.
 *
 * <p>The message names the problem and the resource or file it concerns; nothing was called and
 * nothing changed when this is thrown.
 */
public final class InvalidPlanException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem and where it is. */
  public InvalidPlanException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the parse error behind it. */
  public InvalidPlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
