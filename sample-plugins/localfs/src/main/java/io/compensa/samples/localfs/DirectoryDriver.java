package io.compensa.samples.localfs;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@code localfs_directory}: a directory under the root.
 *
 * <p>The provider id is the directory's path relative to the root; the output is its mode. A
 * directory that still holds files is not deleted. Thread-safe: it keeps no state besides the file
 * system.
 */
final class DirectoryDriver implements ResourceDriver {

  private static final Logger log = LoggerFactory.getLogger(DirectoryDriver.class);

  private final Root root;
  private final CreationLedger ledger;

  DirectoryDriver(Root root) {
    this.root = root;
    this.ledger = new CreationLedger(root);
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    DirectoryConfig config = DirectoryConfig.parse(spec);
    Path target = root.resolve(config.path());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (ledger.createdBy(actionId).filter(config.providerId()::equals).isPresent()) {
        log.atInfo()
            .addKeyValue("path", config.providerId())
            .addKeyValue("action", actionId)
            .log("directory already created by this action");
        return output(config.providerId(), target);
      }
      throw DriverException.alreadyExists(
          "localfs_directory \""
              + spec.name()
              + "\": "
              + target
              + " already exists and action "
              + actionId
              + " did not create it: delete it or choose another path");
    }
    if (!Files.isDirectory(target.getParent())) {
      throw DriverException.preconditionFailed(
          "localfs_directory \""
              + spec.name()
              + "\": the directory "
              + target.getParent()
              + " does not exist: create it first (a localfs_directory this one depends on)");
    }
    ledger.record(actionId, config.providerId());
    try {
      Files.createDirectory(target);
      Files.setPosixFilePermissions(target, config.mode().permissions());
    } catch (FileAlreadyExistsException raced) {
      throw DriverException.alreadyExists(
          "localfs_directory \""
              + spec.name()
              + "\": "
              + target
              + " appeared while creating it:"
              + " delete it or choose another path");
    } catch (IOException failure) {
      throw DriverException.failed("cannot create " + target + ": " + failure, failure);
    }
    log.atInfo()
        .addKeyValue("path", config.providerId())
        .addKeyValue("action", actionId)
        .log("created directory");
    return output(config.providerId(), target);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    String path = providerId.isEmpty() ? DirectoryConfig.parse(spec).providerId() : providerId;
    Path target = root.lookup(path);
    // one stat, and no exception when absent (see FileDriver.read)
    if (!target.toFile().exists()) {
      root.directory();
      return ReadResult.absent();
    }
    PosixFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException deleted) {
      return ReadResult.absent();
    } catch (IOException failure) {
      throw DriverException.failed("cannot read the mode of " + target + ": " + failure, failure);
    }
    if (!attributes.isDirectory()) {
      throw notDirectory(target, spec.name());
    }
    String mode = Mode.of(attributes.permissions()).toString();
    return ReadResult.found(ResourceOutput.of(path).withOutput("mode", mode))
        .withObservedConfig(Map.of("path", path, "mode", mode));
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    DirectoryConfig config = DirectoryConfig.parse(desired);
    String priorPath =
        prior.providerId().isEmpty()
            ? DirectoryConfig.parse(prior).providerId()
            : prior.providerId();
    if (!config.providerId().equals(priorPath)) {
      throw DriverException.invalidConfig(
          "localfs_directory \""
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
          "localfs_directory \""
              + desired.name()
              + "\": "
              + target
              + " does not exist (removed"
              + " outside Compensa?): plan again to create it");
    }
    requireDirectory(target, desired.name());
    try {
      Files.setPosixFilePermissions(target, config.mode().permissions());
    } catch (IOException failure) {
      throw DriverException.failed("cannot change the mode of " + target + ": " + failure, failure);
    }
    log.atInfo()
        .addKeyValue("path", config.providerId())
        .addKeyValue("action", actionId)
        .log("updated directory");
    return output(config.providerId(), target);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    String path =
        state.providerId().isEmpty()
            ? DirectoryConfig.parse(state).providerId()
            : state.providerId();
    Path target = root.resolve(path);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      log.atInfo().addKeyValue("path", path).log("directory already gone");
      return;
    }
    requireDirectory(target, state.name());
    try {
      Files.delete(target);
    } catch (DirectoryNotEmptyException notEmpty) {
      throw DriverException.preconditionFailed(
          "localfs_directory \""
              + state.name()
              + "\": "
              + target
              + " is not empty: delete what"
              + " it holds first (resources that depend on it are deleted before it)");
    } catch (IOException failure) {
      throw DriverException.failed("cannot delete " + target + ": " + failure, failure);
    }
    log.atInfo().addKeyValue("path", path).addKeyValue("action", actionId).log("deleted directory");
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) throws DriverException {
    DirectoryConfig want = DirectoryConfig.parse(desired);
    DirectoryConfig had = DirectoryConfig.parse(prior);
    List<String> changed = new ArrayList<>();
    if (!want.providerId().equals(had.providerId())) {
      changed.add("path");
    }
    if (!want.mode().equals(had.mode())) {
      changed.add("mode");
    }
    if (changed.contains("path")) {
      return DiffResult.replace(changed, List.of("path"));
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.update(changed);
  }

  private static ResourceOutput output(String path, Path directory) throws DriverException {
    try {
      return ResourceOutput.of(path)
          .withOutput("mode", Mode.of(Files.getPosixFilePermissions(directory)).toString());
    } catch (IOException failure) {
      throw DriverException.failed(
          "cannot read the mode of " + directory + ": " + failure, failure);
    }
  }

  private static void requireDirectory(Path target, String name) throws DriverException {
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw notDirectory(target, name);
    }
  }

  private static DriverException notDirectory(Path target, String name) {
    return DriverException.failed(
        "localfs_directory \""
            + name
            + "\": "
            + target
            + " exists but is not a directory:"
            + " move it away or choose another path");
  }
}
