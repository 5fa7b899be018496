package io.compensa.samples.localfs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lower-case hex, for file outputs and ledger file names.
 *
 * <p>Stateless and thread-safe.
 */
final class Sha256 {

  private Sha256() {}

  /** Returns the hex digest of {@code bytes}. */
  static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java runtime has SHA-256", impossible);
    }
  }
}
