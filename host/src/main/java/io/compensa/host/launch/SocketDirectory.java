package io.compensa.host.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The private directory a plugin creates its Unix socket in ({@code PLUGIN_UNIX_SOCKET_DIR}).
 *
 * <p>Only the host's user may enter it ({@code rwx------}), so no other user can connect to the
 * plugin. It lives under {@code /tmp} rather than {@code java.io.tmpdir}: socket paths are limited
 * to 108 bytes on Linux (104 on macOS), and a long temporary directory has broken many plugin
 * hosts. {@link LaunchOptions.Builder#socketParent} chooses another parent. Removed when the plugin
 * is stopped. Thread-safe.
 */
final class SocketDirectory {
  /** Where socket directories go by default: short, unlike many a {@code java.io.tmpdir}. */
  static final Path DEFAULT_PARENT = Path.of("/tmp");

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
    Path directory =
        Files.createTempDirectory(
            base,
            "cpa",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return new SocketDirectory(directory);
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
