package io.compensa.host.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The private directory a plugin creates its Unix socket in ({@code PLUGIN_UNIX_SOCKET_DIR}).
 *
 * <p>Only the host's user may enter it ({@code rwx------}), so no other user can connect to the
 * plugin. It lives under {@code /tmp} rather than {@code java.io.tmpdir}: socket paths are limited
 * to 108 bytes on Linux (104 on macOS), and a long temporary directory has broken many plugin
 * hosts. {@link LaunchOptions.Builder#socketParent} chooses another parent.
 *
 * <p>Nothing of it outlives the host: it is removed as soon as the host has connected (a connected
 * Unix socket needs no name), or when the plugin stops, whichever comes first. A host killed in the
 * short window before it connects leaves the directory behind, so its name carries the host's
 * process id ({@code cpa<pid>.<random>}) and the next host to create one removes those of hosts
 * that are no longer running. Thread-safe.
 */
final class SocketDirectory {
  /** Where socket directories go by default: short, unlike many a {@code java.io.tmpdir}. */
  static final Path DEFAULT_PARENT = Path.of("/tmp");

  /** What every socket directory's name starts with. */
  static final String PREFIX = "cpa";

  private static final java.util.regex.Pattern LEFTOVER =
      java.util.regex.Pattern.compile(PREFIX + "(\\d+)\\..+");
  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

  private final Path path;

  private SocketDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates a fresh directory in {@code parent}, or in {@code java.io.tmpdir} if it is unusable.
   */
  static SocketDirectory create(Path parent) throws IOException {
    Path base =
        Files.isDirectory(parent) && Files.isWritable(parent)
            ? parent
            : Path.of(System.getProperty("java.io.tmpdir"));
    sweepOnce(base);
    Path directory =
        Files.createTempDirectory(
            base,
            PREFIX + ProcessHandle.current().pid() + ".",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return new SocketDirectory(directory);
  }

  /** Removes, once per parent and host process, the directories dead hosts left in {@code base}. */
  private static void sweepOnce(Path base) {
    if (SWEPT.add(base)) {
      removeLeftovers(base);
    }
  }

  /**
   * Removes the socket directories in {@code base} that hosts no longer running left behind: those
   * named for a process id that is not alive, or alive but started after the directory was made (a
   * reused id). Only directories this user owns are touched; any that cannot be removed stay.
   *
   * @return how many were removed
   */
  static int removeLeftovers(Path base) {
    int removed = 0;
    try (Stream<Path> entries = Files.list(base)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        java.util.regex.Matcher name = LEFTOVER.matcher(entry.getFileName().toString());
        if (name.matches() && Files.isDirectory(entry) && Files.isWritable(entry)) {
          long pid = Long.parseLong(name.group(1));
          if (!madeByLiveHost(entry, pid)) {
            new SocketDirectory(entry).delete();
            removed++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a sweep that cannot list the parent leaves the leftovers for the next host
    }
    return removed;
  }

  private static boolean madeByLiveHost(Path directory, long pid) {
    Optional<ProcessHandle> host = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (host.isEmpty()) {
      return false;
    }
    try {
      java.time.Instant made = Files.getLastModifiedTime(directory).toInstant();
      // a host started after the directory was made is another process that reused the id
      return host.get().info().startInstant().map(s -> !s.isAfter(made)).orElse(true);
    } catch (IOException e) {
      return true;
    }
  }

  Path path() {
    return path;
  }

  /** Removes the directory and whatever the plugin left in it; quietly, as part of cleanup. */
  void delete() {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> entries = Files.walk(path)) {
      entries.sorted(Comparator.reverseOrder()).forEach(SocketDirectory::deleteQuietly);
    } catch (IOException ignored) {
      // cleanup is best effort: the directory is private and in /tmp
    }
  }

  private static void deleteQuietly(Path entry) {
    try {
      Files.deleteIfExists(entry);
    } catch (IOException ignored) {
      // best effort, as above
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
