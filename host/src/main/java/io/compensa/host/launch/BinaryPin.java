package io.compensa.host.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 a plugin executable must have for the host to run it.
 *
 * <p>Checked before the process starts, so a replaced binary never runs. The check reads the file
 * the command names, which a user who can write to it could swap between the check and the start:
 * keep pinned binaries where only trusted users can write.
 *
 * <p>Immutable and thread-safe.
 */
public final class BinaryPin {
  private final byte[] expected;

  private BinaryPin(byte[] expected) {
    this.expected = expected;
  }

  /**
   * A pin on the SHA-256 written as 64 hex digits (as {@code sha256sum} prints it).
   *
   * @throws IllegalArgumentException when {@code hex} is not 64 hex digits
   */
  public static BinaryPin sha256(String hex) {
    String digits = hex.trim().toLowerCase(Locale.ROOT);
    if (!digits.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "SHA-256 pin \"" + hex + "\" is not 64 hex digits (as sha256sum prints it)");
    }
    return new BinaryPin(HexFormat.of().parseHex(digits));
  }

  /** The pinned checksum as 64 lowercase hex digits. */
  public String hex() {
    return HexFormat.of().formatHex(expected);
  }

  /**
   * Throws unless the file at {@code executable} has the pinned checksum.
   *
   * @param shownPath the path as the user wrote it, for the message
   * @throws PluginLaunchException on a mismatch, or when the file cannot be read
   */
  void verify(Path executable, String shownPath) {
    byte[] actual;
    try {
      actual = digest(executable);
    } catch (IOException e) {
      throw PluginLaunchException.before(
          "cannot read plugin executable " + shownPath + " to check its SHA-256 pin: " + e, e);
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      throw PluginLaunchException.before(
          "refusing to launch "
              + shownPath
              + ": its SHA-256 is "
              + HexFormat.of().formatHex(actual)
              + " but the pin expects "
              + hex()
              + ". If the binary was replaced on purpose, pin the new checksum;"
              + " otherwise find out who changed it.",
          null);
    }
  }

  private static byte[] digest(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every JVM must have", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        sha256.update(buffer, 0, read);
      }
    }
    return sha256.digest();
  }

  @Override
  public String toString() {
    return "sha256:" + hex();
  }
}
