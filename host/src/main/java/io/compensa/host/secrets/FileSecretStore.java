package io.compensa.host.secrets;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded secrets store: a JSON file that only its owner may read or write (mode 0600), kept
 * apart from the state file, written atomically. Thread-safe.
 */
public final class FileSecretStore implements SecretStore {
  private final Path file;
  private final Gson gson = new Gson();

  /** A store over {@code file}; it is created on the first write. */
  public FileSecretStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public synchronized void put(SecretReference reference, String value)
      throws SecretStoreException {
    Map<String, String> all = load();
    all.put(reference.text(), value);
    save(all);
  }

  @Override
  public synchronized Optional<String> get(SecretReference reference) throws SecretStoreException {
    return Optional.ofNullable(load().get(reference.text()));
  }

  @Override
  public synchronized void remove(SecretReference reference) throws SecretStoreException {
    Map<String, String> all = load();
    if (all.remove(reference.text()) != null) {
      save(all);
    }
  }

  @Override
  public synchronized void removeAll(String resourceName) throws SecretStoreException {
    Map<String, String> all = load();
    if (all.keySet().removeIf(k -> k.startsWith(new SecretReference(resourceName, "").text()))) {
      save(all);
    }
  }

  private Map<String, String> load() throws SecretStoreException {
    try {
      String json = Files.readString(file, StandardCharsets.UTF_8);
      Map<String, String> all =
          gson.fromJson(json, new TypeToken<TreeMap<String, String>>() {}.getType());
      return all == null ? new TreeMap<>() : all;
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException | JsonParseException e) {
      throw new SecretStoreException("cannot read secrets file " + file + ": " + e.getMessage(), e);
    }
  }

  private void save(Map<String, String> all) throws SecretStoreException {
    try {
      Files.createDirectories(file.getParent());
      Path tmp =
          Files.createTempFile(
              file.getParent(),
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(tmp, gson.toJson(all), StandardCharsets.UTF_8);
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
