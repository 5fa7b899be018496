package io.compensa.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where fuzz targets put their input so the readers read it from a real file: one scratch directory
 * per JVM, removed when the JVM exits. Not thread-safe (Jazzer runs one input at a time).
 */
public final class FuzzFiles {
  private static final Path DIR = create();

  private FuzzFiles() {}

  private static Path create() {
    try {
      Path dir = Files.createTempDirectory("compensa-fuzz");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scratch directory itself, for readers that take a directory or derive file names. */
  public static Path dir() {
    return DIR;
  }

  /** Writes {@code bytes} to {@code name} in the scratch directory, replacing what was there. */
  public static Path write(String name, byte[] bytes) throws IOException {
    Path file = DIR.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a scratch directory under the system's temporary directory; leaving it is harmless
    }
  }
}
