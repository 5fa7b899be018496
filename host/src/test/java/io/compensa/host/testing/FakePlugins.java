package io.compensa.host.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The fake plugins under {@code src/test/resources/fake-plugins}, as executables in a directory.
 */
public final class FakePlugins {
  private FakePlugins() {}

  /** Copies the fake {@code name} into {@code directory} and makes it executable. */
  public static Path install(String name, Path directory) {
    Path target = directory.resolve(name);
    try (InputStream in = FakePlugins.class.getResourceAsStream("/fake-plugins/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fake plugin " + name + " in fake-plugins/");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
