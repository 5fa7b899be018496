package io.compensa.host.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A team's secrets key: a Google Tink keyset of AES256_GCM keys, stored as Tink's JSON keyset
 * format in cleartext (the operator protects the file, as a password file). The primary key
 * encrypts; every key in the set decrypts, which is what lets a rotation re-encrypt values one by
 * one. Each ciphertext starts with Tink's prefix, a version byte and the 4-byte id of the key that
 * made it. Immutable and thread-safe.
 */
public final class TeamKeyset {
  /** The Tink key type every generated key has. */
  static final String KEY_TYPE = "AES256_GCM";

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot register Tink's AEAD primitives: " + e, e);
    }
  }

  private final KeysetHandle handle;
  private final Aead aead;

  private TeamKeyset(KeysetHandle handle) throws GeneralSecurityException {
    this.handle = handle;
    this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  /** A new keyset of one fresh AES256_GCM key. */
  public static TeamKeyset generate() {
    try {
      return new TeamKeyset(
          KeysetHandle.newBuilder()
              .addEntry(
                  KeysetHandle.generateEntryFromParametersName(KEY_TYPE)
                      .withRandomId()
                      .makePrimary())
              .build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot generate an " + KEY_TYPE + " key: " + e, e);
    }
  }

  /** The keyset in Tink's JSON keyset format. */
  public static TeamKeyset parse(String json) throws GeneralSecurityException {
    return new TeamKeyset(
        TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
  }

  /** This keyset in Tink's JSON keyset format: the key material in cleartext. */
  public String toJson() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot write its own keyset: " + e, e);
    }
  }

  /** The id of the key that encrypts. */
  public int primaryKeyId() {
    return handle.getPrimary().getId();
  }

  /** The ids of every key in the set, each of which decrypts. */
  public Set<Integer> keyIds() {
    Set<Integer> ids = new TreeSet<>();
    for (int i = 0; i < handle.size(); i++) {
      ids.add(handle.getAt(i).getId());
    }
    return ids;
  }

  /** This keyset plus a fresh key that becomes the primary; the old keys still decrypt. */
  public TeamKeyset withNewPrimary() {
    try {
      return new TeamKeyset(
          KeysetHandle.newBuilder(handle)
              .addEntry(
                  KeysetHandle.generateEntryFromParametersName(KEY_TYPE)
                      .withRandomId()
                      .makePrimary())
              .build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot add an " + KEY_TYPE + " key: " + e, e);
    }
  }

  /** This keyset without the keys that are neither the primary nor in {@code kept}. */
  public TeamKeyset keepingOnly(Set<Integer> kept) {
    KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
    for (int i = builder.size() - 1; i >= 0; i--) {
      int id = handle.getAt(i).getId();
      if (!handle.getAt(i).isPrimary() && !kept.contains(id)) {
        builder.deleteAt(i);
      }
    }
    try {
      return new TeamKeyset(builder.build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot remove keys from its keyset: " + e, e);
    }
  }

  /**
   * Writes this keyset to {@code file} atomically, readable by its owner only (mode 0600).
   *
   * @param replace whether an existing file may be replaced
   */
  public void writeTo(Path file, boolean replace) throws IOException {
    Path target = file.toAbsolutePath();
    if (!replace && Files.exists(target)) {
      throw new IOException(
          target
              + " already exists: choose another path, or rotate the key it holds with"
              + " `compensa secrets rotate`");
    }
    Files.createDirectories(target.getParent());
    Path tmp =
        Files.createTempFile(
            target.getParent(),
            "." + target.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, toJson() + "\n", StandardCharsets.UTF_8);
      if (replace) {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // a link fails when the target appeared meanwhile, where a move would replace it
        Files.createLink(target, tmp);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead.encrypt(plaintext, associatedData);
  }

  byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(ciphertext, associatedData);
  }

  /** The id of the key that made {@code ciphertext}, read from its Tink prefix. */
  public static Optional<Integer> keyIdOf(byte[] ciphertext) {
    if (ciphertext.length < 5 || ciphertext[0] != 1) {
      return Optional.empty();
    }
    return Optional.of(
        ((ciphertext[1] & 0xff) << 24)
            | ((ciphertext[2] & 0xff) << 16)
            | ((ciphertext[3] & 0xff) << 8)
            | (ciphertext[4] & 0xff));
  }
}
