package io.compensa.samples.localapp;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The plugin's records of what it runs, under its root: {@code apps/<id>.json} and {@code
 * fronts/<name>.json}, written by the services themselves once they listen, {@code
 * fronts/<name>.route} (where a front sends its users), and {@code actions/<action id>} (which app
 * a create made, so a repeated create finds it). Every file is replaced whole (written beside it,
 * then renamed), so a reader sees the old content or the new one. Thread-safe: the file system is
 * its only state.
 */
final class Registry {
  private static final Gson GSON = new Gson();

  /** A running service's record: what it is, where it listens, and which process it is. */
  record Service(String id, String app, String version, int port, long pid, String started) {

    /** Whether the recorded process is still the one running (a reused pid is not). */
    boolean alive() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .flatMap(handle -> handle.info().startInstant())
          .map(instant -> instant.toString().equals(started))
          .orElse(false);
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  /** Where a front sends its users. */
  record Route(String app, String version, String target) {}

  private final Path root;

  Registry(Path root) {
    this.root = root;
  }

  /** The root, or a precondition failure saying how to set it. */
  Path root() throws io.compensa.sdk.DriverException {
    if (root == null) {
      throw io.compensa.sdk.DriverException.preconditionFailed(
          "localapp has no root directory: set \"root\" in its plugin configuration"
              + " (COMPENSA_PLUGIN_CONFIG={\"root\": \"/absolute/dir\"})");
    }
    return root;
  }

  Path appFile(String id) {
    return root.resolve("apps").resolve(id + ".json");
  }

  Path frontFile(String name) {
    return root.resolve("fronts").resolve(name + ".json");
  }

  Path routeFile(String name) {
    return root.resolve("fronts").resolve(name + ".route");
  }

  Path log(String id) {
    return root.resolve("logs").resolve(id + ".log");
  }

  Optional<Service> app(String id) {
    return read(appFile(id), Service.class);
  }

  Optional<Service> front(String name) {
    return read(frontFile(name), Service.class);
  }

  Optional<Route> route(String front) {
    return read(routeFile(front), Route.class);
  }

  /** Every app record, running or not. */
  List<Service> apps() {
    Path dir = root.resolve("apps");
    List<Service> apps = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return apps;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        read(file, Service.class).ifPresent(apps::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return apps;
  }

  /** The app a create with {@code actionId} made, if it recorded one. */
  Optional<String> createdBy(String actionId) {
    try {
      return Optional.of(Files.readString(actionFile(actionId), StandardCharsets.UTF_8));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void recordCreation(String actionId, String id) throws IOException {
    write(actionFile(actionId), id);
  }

  void writeRoute(String front, Route route) throws IOException {
    write(routeFile(front), GSON.toJson(route));
  }

  /** Writes {@code content} to {@code file} whole: beside it first, then renamed over it. */
  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".write-", ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** What a service writes once it listens: its record, with its own pid and start instant. */
  static void announce(Path file, String id, String app, String version, int port)
      throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String started = self.info().startInstant().map(Instant::toString).orElse("");
    write(file, GSON.toJson(new Service(id, app, version, port, self.pid(), started)));
  }

  void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  private Path actionFile(String actionId) {
    return root.resolve("actions").resolve(actionId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private static <T> Optional<T> read(Path file, Class<T> type) {
    try {
      return Optional.ofNullable(
          GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JsonSyntaxException e) {
      throw new IllegalStateException(file + " is not a registry record: " + e.getMessage(), e);
    }
  }
}
