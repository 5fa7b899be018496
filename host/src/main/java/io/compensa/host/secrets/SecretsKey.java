package io.compensa.host.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the team's secrets key ({@link TeamKeyset}) comes from, and the encryption of one secret
 * with it. The key is given by the environment or the configuration, never on a command line:
 * {@value #KEY_ENV} holding the keyset JSON itself, else {@value #KEY_FILE_ENV} naming a key file,
 * else "secrets_key_file" in {@code compensa.json}. A key file must be readable by its owner only.
 * The key is read on first use, so a command that stores no secret never needs it.
 *
 * <p>Each value is encrypted with Tink's AEAD (AES256_GCM) and bound to its reference by the
 * associated data, so a ciphertext moved to another entry no longer decrypts. Thread-safe.
 */
public final class SecretsKey {
  /** The environment variable that holds the keyset JSON itself. */
  public static final String KEY_ENV = "COMPENSA_SECRETS_KEY";

  /** The environment variable that names the key file. */
  public static final String KEY_FILE_ENV = "COMPENSA_SECRETS_KEY_FILE";

  private static final String NONE = "no secrets key is configured";

  private final Optional<Path> file;
  private final Optional<String> inline;
  private final String source;
  private volatile TeamKeyset keyset;

  private SecretsKey(Optional<Path> file, Optional<String> inline, String source) {
    this.file = file;
    this.inline = inline;
    this.source = source;
  }

  /** No key: values are stored in the clear where that is allowed (the file store). */
  public static SecretsKey none() {
    return new SecretsKey(Optional.empty(), Optional.empty(), NONE);
  }

  /** The key in {@code file}. */
  public static SecretsKey ofFile(Path file) {
    Path absolute = file.toAbsolutePath();
    return new SecretsKey(Optional.of(absolute), Optional.empty(), "the key file " + absolute);
  }

  /**
   * The key the environment gives ({@value #KEY_ENV}, then {@value #KEY_FILE_ENV}), else the
   * configuration's "secrets_key_file", else none.
   */
  public static SecretsKey configured(Optional<Path> configuredFile, Map<String, String> env) {
    String json = env.get(KEY_ENV);
    if (json != null && !json.isBlank()) {
      return new SecretsKey(Optional.empty(), Optional.of(json), "the key in " + KEY_ENV);
    }
    String named = env.get(KEY_FILE_ENV);
    if (named != null && !named.isBlank()) {
      Path absolute = Path.of(named).toAbsolutePath();
      return new SecretsKey(
          Optional.of(absolute),
          Optional.empty(),
          "the key file " + absolute + " (" + KEY_FILE_ENV + ")");
    }
    return configuredFile
        .map(
            f ->
                new SecretsKey(
                    Optional.of(f.toAbsolutePath()),
                    Optional.empty(),
                    "the key file " + f.toAbsolutePath() + " (\"secrets_key_file\")"))
        .orElseGet(SecretsKey::none);
  }

  /** Whether a key is configured (it may still fail to load). */
  public boolean isConfigured() {
    return file.isPresent() || inline.isPresent();
  }

  /** The key file, when the key comes from one. */
  public Optional<Path> file() {
    return file;
  }

  /** Where the key comes from, for messages: never the key itself. */
  public String source() {
    return source;
  }

  /** What to do when a key is needed and none is configured. */
  public static String howToConfigure() {
    return "set "
        + KEY_FILE_ENV
        + " to the team's key file, or name it as \"secrets_key_file\" in compensa.json, or put the"
        + " keyset JSON itself in "
        + KEY_ENV
        + " (make a key with `compensa secrets keygen FILE`; docs/postgresql.md)";
  }

  /** The keyset, read on first use. */
  public TeamKeyset keyset() throws SecretStoreException {
    TeamKeyset loaded = keyset;
    if (loaded == null) {
      synchronized (this) {
        if (keyset == null) {
          keyset = load();
        }
        loaded = keyset;
      }
    }
    return loaded;
  }

  private TeamKeyset load() throws SecretStoreException {
    if (!isConfigured()) {
      throw new SecretStoreException(NONE + ": " + howToConfigure());
    }
    String json = inline.isPresent() ? inline.get() : read(file.get());
    try {
      return TeamKeyset.parse(json);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SecretStoreException(
          source
              + " is not a Tink keyset in JSON ("
              + e.getMessage()
              + "): give the file `compensa secrets keygen FILE` wrote",
          e);
    }
  }

  private String read(Path path) throws SecretStoreException {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
      for (PosixFilePermission open : PosixFilePermission.values()) {
        if (open.name().startsWith("GROUP_") || open.name().startsWith("OTHERS_")) {
          if (mode.contains(open)) {
            throw new SecretStoreException(
                source
                    + " is open to others (mode "
                    + PosixFilePermissions.toString(mode)
                    + "): run chmod 600 "
                    + path);
          }
        }
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SecretStoreException(
          source + " does not exist: make one with `compensa secrets keygen " + path + "`", e);
    } catch (IOException | UnsupportedOperationException e) {
      throw new SecretStoreException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** {@code value} encrypted for {@code reference} with the primary key. */
  public byte[] encrypt(SecretReference reference, String value) throws SecretStoreException {
    if (!isConfigured()) {
      throw new SecretStoreException(
          "cannot store " + reference.text() + " encrypted: " + NONE + ": " + howToConfigure());
    }
    try {
      return keyset().encrypt(value.getBytes(StandardCharsets.UTF_8), associatedData(reference));
    } catch (GeneralSecurityException e) {
      throw new SecretStoreException(
          "cannot encrypt " + reference.text() + " with " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The value {@code ciphertext} holds for {@code reference}; {@code where} names the store for
   * messages.
   */
  public String decrypt(SecretReference reference, byte[] ciphertext, String where)
      throws SecretStoreException {
    if (!isConfigured()) {
      throw new SecretStoreException(
          reference.text()
              + " is stored encrypted in "
              + where
              + " and "
              + NONE
              + ": "
              + howToConfigure());
    }
    TeamKeyset keys = keyset();
    Optional<Integer> keyId = TeamKeyset.keyIdOf(ciphertext);
    if (keyId.isPresent() && !keys.keyIds().contains(keyId.get())) {
      throw new SecretStoreException(
          reference.text()
              + " in "
              + where
              + " was encrypted with key id "
              + Integer.toUnsignedString(keyId.get())
              + ", which "
              + source
              + " does not hold (it holds "
              + keys.keyIds()
              + "): this is not the team's current key; get the key file the last"
              + " `compensa secrets rotate` wrote");
    }
    try {
      return new String(
          keys.decrypt(ciphertext, associatedData(reference)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new SecretStoreException(
          reference.text()
              + " in "
              + where
              + " does not decrypt with "
              + source
              + ": the stored value was altered, or copied from another entry (each is bound to"
              + " its reference); restore it from a backup, or replace the resource to get a new"
              + " secret",
          e);
    }
  }

  /** Binds a ciphertext to the reference it is stored under. */
  private static byte[] associatedData(SecretReference reference) {
    return ("compensa secret\n" + reference.text()).getBytes(StandardCharsets.UTF_8);
  }
}
