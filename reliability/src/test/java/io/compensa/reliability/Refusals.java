package io.compensa.reliability;

/**
 * The property every reader of outside input must have on bad input: it throws its documented
 * exception with a message that names the place (the file, the field, the line). Anything else a
 * fuzz target lets through (another exception, an error, a hang) is a finding.
 */
public final class Refusals {
  private Refusals() {}

  /**
   * Checks that {@code refusal}'s message is not blank and contains {@code place}.
   *
   * @throws AssertionError naming the refusal when it does not
   */
  public static void namePlace(Exception refusal, String place) {
    String message = refusal.getMessage();
    if (message == null || message.isBlank()) {
      throw new AssertionError(refusal.getClass().getSimpleName() + " without a message", refusal);
    }
    if (!message.contains(place)) {
      throw new AssertionError(
          refusal.getClass().getSimpleName() + " does not name " + place + ": \"" + message + "\"",
          refusal);
    }
  }

  /** Checks that {@code refusal}'s message is not blank and contains one of {@code places}. */
  public static void nameOneOf(Exception refusal, String... places) {
    String message = refusal.getMessage();
    if (message != null) {
      for (String place : places) {
        if (message.contains(place)) {
          return;
        }
      }
    }
    throw new AssertionError(
        refusal.getClass().getSimpleName()
            + " names none of "
            + String.join(", ", places)
            + ": \""
            + message
            + "\"",
        refusal);
  }
}
