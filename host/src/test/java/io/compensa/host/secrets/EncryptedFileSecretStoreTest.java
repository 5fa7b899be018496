package io.compensa.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file secrets store with a team key: values are sealed with Tink AEAD and bound to their
 * reference; a wrong, missing or tampered key or value is refused with a message that names the
 * entry, the key's source and what to do; rotation re-encrypts under a new primary key while the
 * old keys still decrypt; files written in the clear by older versions stay readable.
 */
class EncryptedFileSecretStoreTest {
  @TempDir Path dir;

  private static final SecretReference KEY = new SecretReference("deploy-key", "secret");
  private static final SecretReference OTHER = new SecretReference("ci-key", "secret");

  private Path keyFile(String name, TeamKeyset keyset) throws Exception {
    Path file = dir.resolve(name);
    keyset.writeTo(file, false);
    return file;
  }

  private Path secrets() {
    return dir.resolve("secrets.json");
  }

  private JsonObject fileJson() throws Exception {
    return JsonParser.parseString(Files.readString(secrets())).getAsJsonObject();
  }

  @Test
  void aValueRoundTripsEncryptedAndTheFileNeverHoldsItInTheClear() throws Exception {
    FileSecretStore store =
        new FileSecretStore(
            secrets(), SecretsKey.ofFile(keyFile("team.key", TeamKeyset.generate())));
    store.put(KEY, "s3cr3t-value");

    assertThat(store.get(KEY)).contains("s3cr3t-value");
    assertThat(Files.readString(secrets())).doesNotContain("s3cr3t-value").contains("aead");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("team.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aTamperedCiphertextIsRefusedNamingTheEntry() throws Exception {
    FileSecretStore store =
        new FileSecretStore(
            secrets(), SecretsKey.ofFile(keyFile("team.key", TeamKeyset.generate())));
    store.put(KEY, "s3cr3t-value");
    JsonObject json = fileJson();
    byte[] sealed =
        Base64.getDecoder().decode(json.getAsJsonObject(KEY.text()).get("aead").getAsString());
    sealed[sealed.length - 1] ^= 1;
    json.getAsJsonObject(KEY.text())
        .addProperty("aead", Base64.getEncoder().encodeToString(sealed));
    Files.writeString(secrets(), json.toString());

    assertThatThrownBy(() -> store.get(KEY))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageStartingWith(
            "secret:deploy-key/secret in the secrets file "
                + secrets()
                + " does not decrypt with the key file ")
        .hasMessageContaining("the stored value was altered, or copied from another entry");
  }

  @Test
  void aCiphertextMovedToAnotherEntryDoesNotDecrypt() throws Exception {
    FileSecretStore store =
        new FileSecretStore(
            secrets(), SecretsKey.ofFile(keyFile("team.key", TeamKeyset.generate())));
    store.put(KEY, "deploy-value");
    store.put(OTHER, "ci-value");
    JsonObject json = fileJson();
    json.add(OTHER.text(), json.get(KEY.text()).deepCopy());
    Files.writeString(secrets(), json.toString());

    assertThat(store.get(KEY)).contains("deploy-value");
    assertThatThrownBy(() -> store.get(OTHER))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageContaining("secret:ci-key/secret")
        .hasMessageContaining("copied from another entry (each is bound to its reference)");
  }

  @Test
  void anotherTeamsKeyIsRefusedNamingTheKeyIdItLacks() throws Exception {
    TeamKeyset ours = TeamKeyset.generate();
    new FileSecretStore(secrets(), SecretsKey.ofFile(keyFile("ours.key", ours))).put(KEY, "v");
    Path theirs = keyFile("theirs.key", TeamKeyset.generate());

    assertThatThrownBy(() -> new FileSecretStore(secrets(), SecretsKey.ofFile(theirs)).get(KEY))
        .isInstanceOf(SecretStoreException.class)
        .hasMessage(
            "secret:deploy-key/secret in the secrets file "
                + secrets()
                + " was encrypted with key id "
                + Integer.toUnsignedString(ours.primaryKeyId())
                + ", which the key file "
                + theirs
                + " does not hold (it holds "
                + TeamKeyset.parse(Files.readString(theirs)).keyIds()
                + "): this is not the team's current key; get the key file the last `compensa"
                + " secrets rotate` wrote");
  }

  @Test
  void withoutTheKeyAnEncryptedValueCannotBeReadAndNoValueIsAddedInTheClear() throws Exception {
    new FileSecretStore(secrets(), SecretsKey.ofFile(keyFile("team.key", TeamKeyset.generate())))
        .put(KEY, "v");
    FileSecretStore keyless = new FileSecretStore(secrets(), SecretsKey.none());

    assertThatThrownBy(() -> keyless.get(KEY))
        .isInstanceOf(SecretStoreException.class)
        .hasMessage(
            "secret:deploy-key/secret is stored encrypted in the secrets file "
                + secrets()
                + " and no secrets key is configured: "
                + SecretsKey.howToConfigure());
    assertThat(SecretsKey.howToConfigure())
        .contains("COMPENSA_SECRETS_KEY_FILE")
        .contains("\"secrets_key_file\"")
        .contains("COMPENSA_SECRETS_KEY ")
        .contains("compensa secrets keygen FILE");
    assertThatThrownBy(() -> keyless.put(OTHER, "clear"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessageStartingWith(
            "cannot store secret:ci-key/secret in the clear in the secrets file "
                + secrets()
                + ", which holds encrypted values, and no secrets key is configured: set");
    assertThat(Files.readString(secrets())).doesNotContain("clear");
  }

  @Test
  void aFileWrittenInTheClearStaysReadableWithAKeyAndRotationEncryptsIt() throws Exception {
    new FileSecretStore(secrets()).put(KEY, "old-clear-value");
    SecretsKey key = SecretsKey.ofFile(keyFile("team.key", TeamKeyset.generate()));
    FileSecretStore store = new FileSecretStore(secrets(), key);
    store.put(OTHER, "new-value");

    assertThat(store.get(KEY)).contains("old-clear-value");
    assertThat(fileJson().get(KEY.text()).isJsonPrimitive()).isTrue();
    assertThat(fileJson().get(OTHER.text()).isJsonObject()).isTrue();

    assertThat(store.reencrypt()).isEqualTo(2);
    assertThat(Files.readString(secrets())).doesNotContain("old-clear-value");
    assertThat(store.get(KEY)).contains("old-clear-value");
  }

  @Test
  void rotationReencryptsUnderTheNewPrimaryWhileOldCiphertextsStillDecrypt() throws Exception {
    TeamKeyset first = TeamKeyset.generate();
    Path file = keyFile("team.key", first);
    new FileSecretStore(secrets(), SecretsKey.ofFile(file)).put(KEY, "value-1");
    new FileSecretStore(secrets(), SecretsKey.ofFile(file)).put(OTHER, "value-2");

    TeamKeyset rotated = first.withNewPrimary();
    rotated.writeTo(file, true);
    FileSecretStore during = new FileSecretStore(secrets(), SecretsKey.ofFile(file));
    // during the rotation: nothing re-encrypted yet, the old key still decrypts
    assertThat(during.keyIdsInUse()).containsExactly(first.primaryKeyId());
    assertThat(during.get(KEY)).contains("value-1");

    assertThat(during.reencrypt()).isEqualTo(2);
    assertThat(during.keyIdsInUse()).containsExactly(rotated.primaryKeyId());
    TeamKeyset kept = rotated.keepingOnly(during.keyIdsInUse());
    assertThat(kept.keyIds()).containsExactly(rotated.primaryKeyId());
    kept.writeTo(file, true);

    FileSecretStore after = new FileSecretStore(secrets(), SecretsKey.ofFile(file));
    assertThat(after.get(KEY)).contains("value-1");
    assertThat(after.get(OTHER)).contains("value-2");
    Path old = keyFile("old.key", first);
    assertThatThrownBy(() -> new FileSecretStore(secrets(), SecretsKey.ofFile(old)).get(KEY))
        .hasMessageContaining(
            "was encrypted with key id " + Integer.toUnsignedString(rotated.primaryKeyId()));
  }

  @Test
  void aKeyFileOpenToOthersOrMissingOrNotAKeysetIsRefusedSayingWhatToDo() throws Exception {
    Path open = keyFile("open.key", TeamKeyset.generate());
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new FileSecretStore(secrets(), SecretsKey.ofFile(open)).put(KEY, "v"))
        .hasMessage(
            "the key file " + open + " is open to others (mode rw-r--r--): run chmod 600 " + open);

    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(
            () -> new FileSecretStore(secrets(), SecretsKey.ofFile(missing)).put(KEY, "v"))
        .hasMessage(
            "the key file "
                + missing
                + " does not exist: make one with `compensa secrets keygen "
                + missing
                + "`");

    Path garbage = dir.resolve("garbage.key");
    Files.writeString(garbage, "{\"not\": \"a keyset\"}");
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(
            () -> new FileSecretStore(secrets(), SecretsKey.ofFile(garbage)).put(KEY, "v"))
        .hasMessageStartingWith("the key file " + garbage + " is not a Tink keyset in JSON (")
        .hasMessageEndingWith("give the file `compensa secrets keygen FILE` wrote");
    assertThat(secrets()).doesNotExist();
  }

  @Test
  void keygenNeverReplacesAFile() throws Exception {
    Path file = keyFile("team.key", TeamKeyset.generate());
    String before = Files.readString(file);
    assertThatThrownBy(() -> TeamKeyset.generate().writeTo(file, false))
        .hasMessage(
            file
                + " already exists: choose another path, or rotate the key it holds with"
                + " `compensa secrets rotate`");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void theEnvironmentsKeyComesBeforeTheConfiguredFile() throws Exception {
    TeamKeyset inline = TeamKeyset.generate();
    Path envFile = keyFile("env.key", TeamKeyset.generate());
    Path configured = keyFile("configured.key", TeamKeyset.generate());

    SecretsKey fromJson =
        SecretsKey.configured(
            Optional.of(configured),
            Map.of(
                SecretsKey.KEY_ENV, inline.toJson(), SecretsKey.KEY_FILE_ENV, envFile.toString()));
    assertThat(fromJson.source()).isEqualTo("the key in COMPENSA_SECRETS_KEY");
    assertThat(fromJson.keyset().keyIds()).isEqualTo(inline.keyIds());
    assertThat(fromJson.file()).isEmpty();

    SecretsKey fromEnvFile =
        SecretsKey.configured(
            Optional.of(configured), Map.of(SecretsKey.KEY_FILE_ENV, envFile.toString()));
    assertThat(fromEnvFile.source())
        .isEqualTo("the key file " + envFile + " (COMPENSA_SECRETS_KEY_FILE)");
    assertThat(fromEnvFile.file()).contains(envFile);

    SecretsKey fromConfig =
        SecretsKey.configured(Optional.of(configured), Map.of(SecretsKey.KEY_FILE_ENV, " "));
    assertThat(fromConfig.source())
        .isEqualTo("the key file " + configured + " (\"secrets_key_file\")");

    SecretsKey none = SecretsKey.configured(Optional.empty(), Map.of());
    assertThat(none.isConfigured()).isFalse();
    assertThatThrownBy(none::keyset)
        .hasMessage("no secrets key is configured: " + SecretsKey.howToConfigure());
    assertThat(inline.toJson()).contains("AesGcmKey");
  }
}
