package ${package};

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Drives {@code ${pluginName}_file}: a text file under the root, whose path (relative to the root)
 * is its provider id and whose size is its output.
 *
 * <p>Thread-safe: it keeps no state besides the file system. Every call is idempotent, as the host
 * may repeat one after a crash: a create that finds its file with the content it would write
 * returns it, and deleting a file that is gone succeeds.
 */
final class FileDriver implements ResourceDriver {

  private final Path root;

  FileDriver(PluginConfig config) {
    this.root = config.string("root").map(Path::of).orElse(null);
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    Path file = file(spec);
    String content = spec.string("content", "");
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (content.equals(readOrNull(file))) {
        return output(spec, file);
      }
      throw DriverException.alreadyExists(
          file + " already exists with other content: delete it or choose another path");
    }
    write(file, content);
    return output(spec, file);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    Path file = file(spec);
    String content = readOrNull(file);
    if (content == null) {
      return ReadResult.absent();
    }
    return ReadResult.found(output(spec, file))
        .withObservedConfig(Map.of("path", spec.string("path"), "content", content));
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    if (!Objects.equals(desired.config().get("path"), prior.config().get("path"))) {
      throw DriverException.preconditionFailed(
          "the path of " + desired.name() + " changed: that is a replace, not an update");
    }
    Path file = file(desired);
    write(file, desired.string("content", ""));
    return output(desired, file);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    Path file = resolve(state.name(), state.providerId());
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw DriverException.retryable("cannot delete " + file + ": " + e.getMessage());
    }
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) {
    if (!Objects.equals(desired.config().get("path"), prior.config().get("path"))) {
      return DiffResult.replace(List.of("path"), List.of("path"));
    }
    List<String> changed = new ArrayList<>();
    if (!Objects.equals(desired.config().get("content"), prior.config().get("content"))) {
      changed.add("content");
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.update(changed);
  }

  private Path file(ResourceSpec spec) throws DriverException {
    return resolve(spec.name(), spec.string("path"));
  }

  /** The file a resource names, refusing paths that leave the root. */
  private Path resolve(String name, String path) throws DriverException {
    if (root == null) {
      throw DriverException.preconditionFailed(
          "${pluginName} has no root directory: set \"root\" in its plugin configuration"
              + " (COMPENSA_PLUGIN_CONFIG={\"root\": \"/absolute/dir\"})");
    }
    Path file = root.resolve(path).normalize();
    if (Path.of(path).isAbsolute() || !file.startsWith(root.normalize())) {
      throw DriverException.invalidConfig(
          name + ": path \"" + path + "\" leaves the root directory: give a relative path");
    }
    return file;
  }

  private static String readOrNull(Path file) throws DriverException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      throw DriverException.failed("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the whole content at once: a reader sees the old file or the new one. */
  private static void write(Path file, String content) throws DriverException {
    if (!Files.isDirectory(file.getParent())) {
      throw DriverException.preconditionFailed(
          "directory " + file.getParent() + " does not exist: create it first");
    }
    try {
      Path temp = Files.createTempFile(file.getParent(), ".write-", ".tmp");
      Files.writeString(temp, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw DriverException.retryable("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static ResourceOutput output(ResourceSpec spec, Path file) throws DriverException {
    try {
      return ResourceOutput.of(spec.string("path")).withOutput("size", Files.size(file));
    } catch (IOException e) {
      throw DriverException.failed("cannot read the size of " + file + ": " + e.getMessage(), e);
    }
  }
}
