package io.compensa.host.secrets;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The embedded secrets store: a JSON file that only its owner may read or write (mode 0600), kept
 * apart from the state file, written atomically. It maps each reference's text to its value: a
 * string, stored in the clear, or, when a {@link SecretsKey} is configured, {@code {"aead":
 * BASE64}}, the value encrypted and bound to its reference. A file may hold both (values written
 * before the key was configured stay readable; {@code compensa secrets rotate} encrypts them); once
 * it holds an encrypted value, storing a value without the key is refused rather than written in
 * the clear beside it. Thread-safe.
 */
public final class FileSecretStore implements SecretStore {
  private static final String AEAD = "aead";

  private final Path file;
  private final SecretsKey key;
  private final Gson gson = new Gson();

  /** A store over {@code file} that keeps values in the clear; it is created on the first write. */
  public FileSecretStore(Path file) {
    this(file, SecretsKey.none());
  }

  /** A store over {@code file} that encrypts with {@code key} when one is configured. */
  public FileSecretStore(Path file, SecretsKey key) {
    this.file = file.toAbsolutePath();
    this.key = key;
  }

  @Override
  public String location() {
    return "the secrets file " + file;
  }

  @Override
  public synchronized void put(SecretReference reference, String value)
      throws SecretStoreException {
    Map<String, JsonElement> all = load();
    if (!key.isConfigured() && all.values().stream().anyMatch(JsonElement::isJsonObject)) {
      throw new SecretStoreException(
          "cannot store "
              + reference.text()
              + " in the clear in "
              + location()
              + ", which holds encrypted values, and no secrets key is configured: "
              + SecretsKey.howToConfigure());
    }
    all.put(reference.text(), seal(reference, value));
    save(all);
  }

  @Override
  public synchronized Optional<String> get(SecretReference reference) throws SecretStoreException {
    JsonElement stored = load().get(reference.text());
    return stored == null ? Optional.empty() : Optional.of(open(reference, stored));
  }

  @Override
  public synchronized void remove(SecretReference reference) throws SecretStoreException {
    Map<String, JsonElement> all = load();
    if (all.remove(reference.text()) != null) {
      save(all);
    }
  }

  @Override
  public synchronized void removeAll(String resourceName) throws SecretStoreException {
    Map<String, JsonElement> all = load();
    if (all.keySet().removeIf(k -> k.startsWith(new SecretReference(resourceName, "").text()))) {
      save(all);
    }
  }

  @Override
  public synchronized int reencrypt() throws SecretStoreException {
    key.keyset(); // says what is missing before anything is read
    Map<String, JsonElement> all = load();
    Map<String, JsonElement> sealed = new TreeMap<>();
    for (Map.Entry<String, JsonElement> entry : all.entrySet()) {
      SecretReference reference = reference(entry.getKey());
      sealed.put(entry.getKey(), seal(reference, open(reference, entry.getValue())));
    }
    if (!sealed.isEmpty()) {
      save(sealed);
    }
    return sealed.size();
  }

  @Override
  public synchronized Set<Integer> keyIdsInUse() throws SecretStoreException {
    Set<Integer> ids = new TreeSet<>();
    for (JsonElement stored : load().values()) {
      if (stored.isJsonObject()) {
        ciphertext(stored).flatMap(TeamKeyset::keyIdOf).ifPresent(ids::add);
      }
    }
    return ids;
  }

  private JsonElement seal(SecretReference reference, String value) throws SecretStoreException {
    if (!key.isConfigured()) {
      return new JsonPrimitive(value);
    }
    JsonObject sealed = new JsonObject();
    sealed.addProperty(AEAD, Base64.getEncoder().encodeToString(key.encrypt(reference, value)));
    return sealed;
  }

  private String open(SecretReference reference, JsonElement stored) throws SecretStoreException {
    if (stored.isJsonPrimitive() && stored.getAsJsonPrimitive().isString()) {
      return stored.getAsString(); // written in the clear
    }
    byte[] ciphertext =
        ciphertext(stored)
            .orElseThrow(
                () ->
                    new SecretStoreException(
                        "the entry "
                            + reference.text()
                            + " of "
                            + location()
                            + " is neither a value nor {\"aead\": BASE64}: restore the file"
                            + " from a backup"));
    return key.decrypt(reference, ciphertext, location());
  }

  private static Optional<byte[]> ciphertext(JsonElement stored) {
    if (!stored.isJsonObject()) {
      return Optional.empty();
    }
    JsonElement text = stored.getAsJsonObject().get(AEAD);
    if (text == null || !text.isJsonPrimitive()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text.getAsString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private SecretReference reference(String text) throws SecretStoreException {
    return SecretReference.parse(text)
        .orElseThrow(
            () ->
                new SecretStoreException(
                    location()
                        + " holds the entry \""
                        + text
                        + "\", which is not a secret reference: remove it from the file"));
  }

  private Map<String, JsonElement> load() throws SecretStoreException {
    try {
      String json = Files.readString(file, StandardCharsets.UTF_8);
      JsonElement root = JsonParser.parseString(json);
      Map<String, JsonElement> all = new TreeMap<>();
      if (root.isJsonObject()) {
        root.getAsJsonObject().entrySet().forEach(e -> all.put(e.getKey(), e.getValue()));
      } else if (!root.isJsonNull()) {
        throw new JsonParseException("the file is not a JSON object");
      }
      return all;
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException | JsonParseException e) {
      throw new SecretStoreException("cannot read secrets file " + file + ": " + e.getMessage(), e);
    }
  }

  private void save(Map<String, JsonElement> all) throws SecretStoreException {
    try {
      Files.createDirectories(file.getParent());
      Path tmp =
          Files.createTempFile(
              file.getParent(),
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        JsonObject root = new JsonObject();
        all.forEach(root::add);
        Files.writeString(tmp, gson.toJson(root), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new SecretStoreException(
          "cannot write secrets file " + file + ": " + e.getMessage(), e);
    }
  }
}
