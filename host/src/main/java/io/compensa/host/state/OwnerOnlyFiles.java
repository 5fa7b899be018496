package io.compensa.host.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Files beside the state that only its owner may read or write, as the state and secrets files are:
 * the journal (which holds every resource's configuration and outputs) and the lock file. On a
 * POSIX file system a new file is created mode 0600 and an existing one is narrowed to it.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Opens {@code file} with {@code options}, creating it when missing, readable only by its owner.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> all = new LinkedHashSet<>(Arrays.asList(options));
    all.add(StandardOpenOption.CREATE);
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(file, all);
    }
    FileChannel channel =
        FileChannel.open(file, all, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }
}
