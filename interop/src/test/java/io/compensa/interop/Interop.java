package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the cross-language binaries are, and what to do when one is missing: skip with a message
 * that says what is missing and how to build it, or fail when {@code CI=true} (CI never skips).
 */
final class Interop {
  static final Path REPOSITORY =
      Path.of(System.getProperty("compensa.repository", "..")).toAbsolutePath().normalize();
  static final Path GO_PLUGIN = REPOSITORY.resolve("sample-plugins/go-kv/bin/compensa-go-kv");
  static final Path PYTHON_PLUGIN =
      REPOSITORY.resolve("sample-plugins/python-notes/bin/compensa-python-notes");
  static final Path PYTHON_VENV =
      REPOSITORY.resolve("sample-plugins/python-notes/.venv/bin/python");
  static final Path PYTHON_GEN = REPOSITORY.resolve("sample-plugins/python-notes/gen/compensa/v1");
  static final Path NODE_PLUGIN =
      REPOSITORY.resolve("sample-plugins/node-tasks/bin/compensa-node-tasks");
  static final Path NODE_MODULES =
      REPOSITORY.resolve("sample-plugins/node-tasks/node_modules/@grpc/grpc-js");
  static final Path NODE_DESCRIPTORS =
      REPOSITORY.resolve("sample-plugins/node-tasks/gen/contract.pb");
  static final Path GO_HOST = REPOSITORY.resolve("interop/go-host/bin/go-host");
  static final Path LOCALFS_PLUGIN =
      REPOSITORY.resolve("sample-plugins/localfs/bin/compensa-localfs");
  static final Path LOCALFS_JAR =
      REPOSITORY.resolve("sample-plugins/localfs/target/compensa-localfs.jar");

  static final String COOKIE_KEY = "COMPENSA_PLUGIN_MAGIC_COOKIE";
  static final String COOKIE_VALUE = "d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52";

  private Interop() {}

  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips the calling test (fails it on CI) unless {@code path} exists (and is executable). */
  static void require(Path path, boolean executable, String what, String howToBuild) {
    boolean present = executable ? Files.isExecutable(path) : Files.exists(path);
    if (present) {
      return;
    }
    String message =
        what
            + " is missing: "
            + REPOSITORY.relativize(path)
            + " does not exist"
            + (executable ? " or is not executable" : "")
            + "; build it with "
            + howToBuild;
    if (onCi()) {
      fail("CI=true, so interop tests never skip: " + message);
    }
    Assumptions.abort(message);
  }

  static void requireGoPlugin() {
    require(GO_PLUGIN, true, "the Go sample plugin (go-kv)", "interop/build.sh go (needs Go 1.26)");
  }

  static void requirePythonPlugin() {
    require(
        PYTHON_VENV,
        true,
        "the Python plugin's virtual environment",
        "interop/build.sh python (needs Python 3.9+ with venv, and PyPI)");
    require(
        PYTHON_GEN,
        false,
        "the Python plugin's generated code",
        "interop/build.sh python (needs Python 3.9+ with venv, and PyPI)");
  }

  static void requireNodePlugin() {
    require(
        NODE_MODULES,
        false,
        "the Node.js plugin's npm packages",
        "interop/build.sh node (needs Node.js 20+, npm and the npm registry)");
    require(
        NODE_DESCRIPTORS,
        false,
        "the Node.js plugin's descriptor set",
        "interop/build.sh node (needs protoc, which the Java build fetches)");
  }

  static void requireGoHostAndLocalfs() {
    require(GO_HOST, true, "the Go host (go-host)", "interop/build.sh go (needs Go 1.26)");
    require(
        LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "interop/build.sh java (or mvn -pl sample-plugins/localfs -am package)");
  }

  /** A JSON object for COMPENSA_PLUGIN_CONFIG with {@code root}. */
  static String rootConfig(Path root) {
    return "{\"root\": \""
        + root.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}";
  }

  static Struct struct(Map<String, ?> values) {
    Struct.Builder struct = Struct.newBuilder();
    values.forEach((key, value) -> struct.putFields(key, value(value)));
    return struct.build();
  }

  private static Value value(Object value) {
    if (value instanceof Number number) {
      return Value.newBuilder().setNumberValue(number.doubleValue()).build();
    }
    if (value instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(value)).build();
  }

  /** Every process that {@code pid} started, and {@code pid} itself, if still alive. */
  static List<ProcessHandle> aliveTree(long pid) {
    List<ProcessHandle> alive = new ArrayList<>();
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    handle.filter(ProcessHandle::isAlive).ifPresent(alive::add);
    handle.ifPresent(h -> h.descendants().filter(ProcessHandle::isAlive).forEach(alive::add));
    return alive;
  }

  static void awaitGone(long pid, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d is still alive after %s", pid, within)
        .isFalse();
  }

  /**
   * Starts a plugin by hand, with COMPENSA_HOST_PID naming {@code hostPid}, and waits for its
   * handshake line; the caller owns the returned process.
   */
  static Process startWithHostPid(Path plugin, Path root, long hostPid, Path socketDir)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(plugin.toString());
    Map<String, String> env = builder.environment();
    env.put(COOKIE_KEY, COOKIE_VALUE);
    env.put("PLUGIN_PROTOCOL_VERSIONS", "1");
    env.put("PLUGIN_UNIX_SOCKET_DIR", socketDir.toString());
    env.put("COMPENSA_HOST_PID", Long.toString(hostPid));
    env.put("COMPENSA_PLUGIN_CONFIG", rootConfig(root));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = stdout.readLine();
    if (line == null || !line.startsWith("1|1|unix|")) {
      process.destroyForcibly();
      fail("expected a handshake line from " + plugin + ", got " + line);
    }
    return process;
  }

  /** Starts {@code sleep} as a stand-in host that a test can kill. */
  static Process fakeHost() throws IOException {
    return new ProcessBuilder("sleep", "600").start();
  }

  static void killAndWait(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
