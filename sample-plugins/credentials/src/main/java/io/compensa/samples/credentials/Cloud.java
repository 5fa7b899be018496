package io.compensa.samples.credentials;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.compensa.sdk.DriverException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sample's stand-in for a cloud provider: one JSON file holding access keys and rule sets,
 * which tests read to check the world rather than statuses.
 *
 * <p>Every change locks the file (so two plugin processes never interleave), reads it, changes it
 * and writes it back atomically. Thread-safe.
 */
final class Cloud {
  private static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(com.google.gson.FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .create();

  /** The file's content. */
  static final class Data {
    Map<String, AccessKey> keys = new TreeMap<>();
    Map<String, List<String>> rules = new TreeMap<>();

    /** Which access key each application is configured with: app name to key id. */
    Map<String, String> bindings = new TreeMap<>();

    Faults faults = new Faults();
  }

  /** An access key as the cloud keeps it: never its secret, only the secret's digest. */
  static final class AccessKey {
    String user;

    /** Which rotation of the user's key this is: a new rotation replaces the key. */
    int rotation;

    String secretSha256;
    String createdByAction;
  }

  /** Failures a test can inject by editing the file. */
  static final class Faults {
    /** When 0 or more, a FinalizeApply flush fails after writing this many rule sets. */
    int flushFailAfter = -1;

    /** Applications whose key binding cannot be written (a consumer that fails to move). */
    List<String> bindingFail = new ArrayList<>();
  }

  /** A change to the data that may fail. */
  @FunctionalInterface
  interface Change<T> {
    T apply(Data data) throws DriverException;
  }

  private final Path file;

  Cloud(Path file) {
    this.file = file.toAbsolutePath();
  }

  /** Reads the data under the lock. */
  Data read() throws DriverException {
    return change(data -> data, false);
  }

  /** Applies {@code change} under the lock and writes the result. */
  <T> T update(Change<T> change) throws DriverException {
    return change(change, true);
  }

  private synchronized <T> T change(Change<T> change, boolean write) throws DriverException {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        Data data = load();
        T result = change.apply(data);
        if (write) {
          save(data);
        }
        return result;
      }
    } catch (IOException e) {
      throw DriverException.retryable(
          "the cloud file " + file + " cannot be used: " + e.getMessage());
    }
  }

  private Data load() throws IOException, DriverException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Data();
    }
    try {
      Data data = GSON.fromJson(json, Data.class);
      if (data == null) {
        return new Data();
      }
      if (data.keys == null) {
        data.keys = new TreeMap<>();
      }
      if (data.rules == null) {
        data.rules = new TreeMap<>();
      }
      if (data.bindings == null) {
        data.bindings = new TreeMap<>();
      }
      if (data.faults == null) {
        data.faults = new Faults();
      }
      if (data.faults.bindingFail == null) {
        data.faults.bindingFail = new ArrayList<>();
      }
      return data;
    } catch (JsonParseException e) {
      throw DriverException.failed("the cloud file " + file + " is not valid: " + e.getMessage());
    }
  }

  private void save(Data data) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, GSON.toJson(data), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A deep copy of the rule sets, for rolling a flush back. */
  static Map<String, List<String>> copyRules(Data data) {
    Map<String, List<String>> copy = new TreeMap<>();
    data.rules.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    return copy;
  }
}
