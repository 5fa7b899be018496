package io.compensa.samples.localfs;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@code localfs_file}: a text file under the root, written whole and atomically.
 *
 * <p>The provider id is the file's path relative to the root; the outputs are its size, the SHA-256
 * of its content and its mode. Thread-safe: it keeps no state besides the file system.
 */
final class FileDriver implements ResourceDriver {
  /** Temporaries are named for this plugin's process, so a later one can tell them apart. */
  private static final String TEMPORARY_PREFIX = ".localfs-" + ProcessHandle.current().pid() + "-";

  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\.localfs-(\\d+)-\\d+\\.tmp");

  /** The directories this process already swept of dead plugins' temporaries. */
  private static final java.util.Set<Path> SWEPT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final Logger log = LoggerFactory.getLogger(FileDriver.class);

  private final Root root;
  private final CreationLedger ledger;

  FileDriver(Root root) {
    this.root = root;
    this.ledger = new CreationLedger(root);
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    FileConfig config = FileConfig.parse(spec);
    Path target = root.resolve(config.path());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (ledger.createdBy(actionId).filter(config.providerId()::equals).isPresent()) {
        log.atInfo()
            .addKeyValue("path", config.providerId())
            .addKeyValue("action", actionId)
            .log("file already created by this action");
        return output(config.providerId(), target);
      }
      throw DriverException.alreadyExists(
          "localfs_file \""
              + spec.name()
              + "\": "
              + target
              + " already exists and action "
              + actionId
              + " did not create it: delete it or choose another path");
    }
    requireParent(target, spec.name());
    ledger.record(actionId, config.providerId());
    Path temp = temporaryCopy(target, config);
    try {
      // a hard link fails if the target appeared meanwhile, so create never overwrites a file
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException raced) {
      throw DriverException.alreadyExists(
          "localfs_file \""
              + spec.name()
              + "\": "
              + target
              + " appeared while creating it:"
              + " delete it or choose another path");
    } catch (IOException failure) {
      throw DriverException.failed("cannot create " + target + ": " + failure, failure);
    } finally {
      deleteQuietly(temp);
    }
    log.atInfo()
        .addKeyValue("path", config.providerId())
        .addKeyValue("action", actionId)
        .log("created file");
    return output(config.providerId(), target);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    String path = providerId.isEmpty() ? FileConfig.parse(spec).providerId() : providerId;
    Path target = root.lookup(path);
    // File.exists is one stat and no exception when the file is absent, where Files.exists throws
    // and catches one inside (Java 17), filling a stack trace on every Read of a missing file; it
    // follows links, so a dangling link reads as absent (and a Create then reports it as in the
    // way)
    if (!target.toFile().exists()) {
      root.directory();
      return ReadResult.absent();
    }
    try {
      // one look at the file (not following links) for its kind and mode, one read of its bytes
      // for the observed content, the size and the digest
      PosixFileAttributes attributes =
          Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        throw notRegularFile(target, spec.name());
      }
      String mode = Mode.of(attributes.permissions()).toString();
      byte[] content = Files.readAllBytes(target);
      return ReadResult.found(output(path, content, mode))
          .withObservedConfig(
              Map.of(
                  "path",
                  path,
                  "content",
                  new String(content, StandardCharsets.UTF_8),
                  "mode",
                  mode));
    } catch (NoSuchFileException deleted) {
      return ReadResult.absent();
    } catch (IOException failure) {
      throw DriverException.failed("cannot read " + target + ": " + failure, failure);
    }
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    FileConfig config = FileConfig.parse(desired);
    String priorPath =
        prior.providerId().isEmpty() ? FileConfig.parse(prior).providerId() : prior.providerId();
    if (!config.providerId().equals(priorPath)) {
      throw DriverException.invalidConfig(
          "localfs_file \""
              + desired.name()
              + "\": path changed from \""
              + priorPath
              + "\" to \""
              + config.path()
              + "\", which an update cannot do: plan a replace");
    }
    Path target = root.resolve(config.path());
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw DriverException.notFound(
          "localfs_file \""
              + desired.name()
              + "\": "
              + target
              + " does not exist (removed"
              + " outside Compensa?): plan again to create it");
    }
    requireRegularFile(target, desired.name());
    Path temp = temporaryCopy(target, config);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException failure) {
      deleteQuietly(temp);
      throw DriverException.failed("cannot replace " + target + ": " + failure, failure);
    }
    log.atInfo()
        .addKeyValue("path", config.providerId())
        .addKeyValue("action", actionId)
        .log("updated file");
    return output(config.providerId(), target);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    String path =
        state.providerId().isEmpty() ? FileConfig.parse(state).providerId() : state.providerId();
    Path target = root.resolve(path);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      log.atInfo().addKeyValue("path", path).log("file already gone");
      return;
    }
    requireRegularFile(target, state.name());
    try {
      Files.deleteIfExists(target);
    } catch (IOException failure) {
      throw DriverException.failed("cannot delete " + target + ": " + failure, failure);
    }
    log.atInfo().addKeyValue("path", path).addKeyValue("action", actionId).log("deleted file");
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) throws DriverException {
    FileConfig want = FileConfig.parse(desired);
    FileConfig had = FileConfig.parse(prior);
    List<String> changed = new ArrayList<>();
    if (!want.providerId().equals(had.providerId())) {
      changed.add("path");
    }
    if (!want.content().equals(had.content())) {
      changed.add("content");
    }
    if (!want.mode().equals(had.mode())) {
      changed.add("mode");
    }
    if (changed.contains("path")) {
      return DiffResult.replace(changed, List.of("path"));
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.update(changed);
  }

  private Path temporaryCopy(Path target, FileConfig config) throws DriverException {
    Path temp = null;
    try {
      if (SWEPT.add(target.getParent())) {
        removeTemporariesOfDeadPlugins(target.getParent());
      }
      temp = Files.createTempFile(target.getParent(), TEMPORARY_PREFIX, ".tmp");
      Files.writeString(temp, config.content(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, config.mode().permissions());
      return temp;
    } catch (IOException failure) {
      deleteQuietly(temp);
      throw DriverException.failed(
          "cannot write a temporary file next to " + target + ": " + failure, failure);
    }
  }

  /**
   * Removes the temporaries that plugins killed while writing left in {@code directory}: each is
   * named for its plugin's process id, and only those of processes no longer running go. Best
   * effort: a temporary that cannot be removed stays for the next plugin to try.
   *
   * @return how many were removed
   */
  static int removeTemporariesOfDeadPlugins(Path directory) {
    int removed = 0;
    try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        java.util.regex.Matcher name = TEMPORARY.matcher(entry.getFileName().toString());
        if (name.matches()
            && ProcessHandle.of(Long.parseLong(name.group(1)))
                .filter(ProcessHandle::isAlive)
                .isEmpty()) {
          removed += Files.deleteIfExists(entry) ? 1 : 0;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort, as documented
    }
    return removed;
  }

  private static ResourceOutput output(String path, Path file) throws DriverException {
    try {
      return output(
          path, Files.readAllBytes(file), Mode.of(Files.getPosixFilePermissions(file)).toString());
    } catch (IOException failure) {
      throw DriverException.failed("cannot read " + file + ": " + failure, failure);
    }
  }

  private static ResourceOutput output(String path, byte[] content, String mode) {
    return ResourceOutput.of(path)
        .withOutput("size", content.length)
        .withOutput("sha256", Sha256.hex(content))
        .withOutput("mode", mode);
  }

  private static void requireParent(Path target, String name) throws DriverException {
    if (!Files.isDirectory(target.getParent())) {
      throw DriverException.preconditionFailed(
          "localfs_file \""
              + name
              + "\": the directory "
              + target.getParent()
              + " does not exist: create it first (a localfs_directory the file depends on)");
    }
  }

  private static void requireRegularFile(Path target, String name) throws DriverException {
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw notRegularFile(target, name);
    }
  }

  private static DriverException notRegularFile(Path target, String name) {
    return DriverException.failed(
        "localfs_file \""
            + name
            + "\": "
            + target
            + " exists but is not a regular file:"
            + " move it away or choose another path");
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless: its name marks it as localfs's
      }
    }
  }
}
