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

  /**
   * The reference whose {@link #text()} is {@code text}; the key is what follows the last slash (a
   * resource name may hold slashes: a create-before-delete replace scopes its new object's values
   * as {@code name/actionId}).
   */
  public static java.util.Optional<SecretReference> parse(String text) {
    if (!isReference(text) || text.lastIndexOf('/') <= PREFIX.length()) {
      return java.util.Optional.empty();
    }
    int slash = text.lastIndexOf('/');
    return java.util.Optional.of(
        new SecretReference(text.substring(PREFIX.length(), slash), text.substring(slash + 1)));
  }

  /** Whether {@code value} is a reference's text rather than a value. */
  public static boolean isReference(String value) {
    return value.startsWith(PREFIX);
  }
}
