package io.compensa.samples.localfs;

import io.compensa.sdk.DriverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Remembers which action created which path, so a repeated Create with the same action id returns
 * the existing resource instead of failing or creating it twice.
 *
 * <p>One small file per action under {@code <root>/.localfs/creations/}, named by the SHA-256 of
 * the action id and holding the path. The record is written before the resource, so a crash in
 * between leaves a record whose path does not exist yet, which a retry simply creates. Thread-safe:
 * each record is written to a temporary file and renamed into place.
 */
final class CreationLedger {

  private final Root root;

  CreationLedger(Root root) {
    this.root = root;
  }

  /** Records that {@code actionId} creates {@code providerId}. */
  void record(String actionId, String providerId) throws DriverException {
    Path file = file(actionId);
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), "record", ".tmp");
      Files.writeString(temp, providerId, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException failure) {
      throw DriverException.failed(
          "cannot record action "
              + actionId
              + " in "
              + file.getParent()
              + ": "
              + failure
              + " (check that the root is writable)",
          failure);
    }
  }

  /** Returns the path {@code actionId} created, if it recorded one. */
  Optional<String> createdBy(String actionId) throws DriverException {
    Path file = file(actionId);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException none) {
      return Optional.empty();
    } catch (IOException failure) {
      throw DriverException.failed("cannot read " + file + ": " + failure, failure);
    }
  }

  private Path file(String actionId) throws DriverException {
    if (actionId.isEmpty()) {
      throw DriverException.invalidConfig(
          "a Create without an action id cannot be made idempotent: the host must send one");
    }
    String name = Sha256.hex(actionId.getBytes(StandardCharsets.UTF_8));
    return root.directory().resolve(Root.RESERVED).resolve("creations").resolve(name);
  }
}
