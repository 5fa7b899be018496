package io.compensa.host.secrets;

/**
 * Names one sensitive output value: its resource and output key. Its text form, {@code
 * secret:<resource>/<key>}, is what the state records in the value's place.
 *
 * @param resourceName the resource's name
 * @param key the output key
 */
public record SecretReference(String resourceName, String key) {
  private static final String PREFIX = "secret:";

  /** The text the state records. */
  public String text() {
    return PREFIX + resourceName + "/" + key;
  }

  /** Whether {@code value} is a reference's text rather than a value. */
  public static boolean isReference(String value) {
    return value.startsWith(PREFIX);
  }
}
