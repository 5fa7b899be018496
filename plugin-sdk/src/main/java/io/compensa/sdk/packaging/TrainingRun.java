package io.compensa.sdk.packaging;

import com.google.protobuf.Struct;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.HealthService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's training run, for the class-data archive its packaging makes at build time: with
 * {@value #VARIABLE}{@code =1} in its environment the plugin serves on a Unix socket, calls itself
 * as a host would (health, Describe, a Read of each type), stops and exits 0. Run under {@code
 * -XX:ArchiveClassesAtExit}, the JVM then writes an archive of every class a real launch needs,
 * which {@code -XX:SharedArchiveFile} maps at the next start instead of loading them one by one.
 * The run also copies Netty's native epoll library next to the jar ({@link
 * #prepareNativeLibraries()}) and records which JDK the archive is for ({@link #recordJdk()}). Used
 * once per process.
 */
public final class TrainingRun {
  /** The variable that asks for a training run instead of serving a host. */
  public static final String VARIABLE = "COMPENSA_PLUGIN_TRAINING";

  private static final int ROUNDS = 200;

  /** The name ending, after the jar's name without {@code .jar}, of the JDK record. */
  public static final String JDK_RECORD_SUFFIX = ".jdk";

  /**
   * The variable that names another JDK record (its name ending, as {@link #JDK_RECORD_SUFFIX}):
   * the training run of the JDK 25 AOT cache ({@link AotCacheTraining}) records its JDK in {@code
   * .aot.jdk}, beside the class-data archive's {@code .jdk}.
   */
  public static final String JDK_RECORD_VARIABLE = "COMPENSA_PLUGIN_TRAINING_JDK_RECORD";

  /** What Netty calls its epoll library inside grpc-netty-shaded, before the architecture. */
  private static final String EPOLL_LIBRARY = "io_grpc_netty_shaded_netty_transport_native_epoll_";

  private TrainingRun() {}

  /**
   * Copies Netty's epoll library out of the plugin's jar into {@code <jar name>-native/} next to
   * it. Netty otherwise extracts it into a temporary file at every start (~20 ms); the launcher
   * puts this directory on {@code java.library.path} when it is newer than the jar, and Netty then
   * loads the library in place. Does nothing when the plugin does not run from a jar or the jar
   * holds no library for this architecture.
   *
   * @return the directory written, if any
   */
  public static Optional<Path> prepareNativeLibraries() {
    Optional<Path> running = pluginJar();
    if (running.isEmpty()) {
      return Optional.empty();
    }
    Path jar = running.get();
    String library = System.mapLibraryName(EPOLL_LIBRARY + PlatformDependent.normalizedArch());
    try (InputStream in =
        TrainingRun.class.getClassLoader().getResourceAsStream("META-INF/native/" + library)) {
      if (in == null) {
        return Optional.empty();
      }
      Path dir = besideJar(jar, "-native");
      Files.createDirectories(dir);
      Path temporary = Files.createTempFile(dir, library, ".tmp");
      Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          temporary,
          dir.resolve(library),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      // the launcher compares the directory's time with the jar's
      Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(dir);
    } catch (IOException failure) {
      throw new UncheckedIOException("cannot copy Netty's native library next to " + jar, failure);
    }
  }

  /**
   * Writes the Java home of the JDK that runs the training, the JDK the class-data archive is made
   * for, into {@code <jar name>.jdk} next to the plugin's jar. The launcher maps the archive only
   * when the {@code java} it is about to run lives in that Java home: an archive made by another
   * JDK is not even opened, and the start-up flags that go with the archive (which a later JDK may
   * no longer know) are only given to the JDK the build ran. Does nothing when the plugin does not
   * run from a jar. With {@value #JDK_RECORD_VARIABLE} set to a name ending (as {@code .aot.jdk})
   * it writes that file instead.
   *
   * @return the file written, if any
   */
  public static Optional<Path> recordJdk() {
    Optional<Path> running = pluginJar();
    if (running.isEmpty()) {
      return Optional.empty();
    }
    Path jar = running.get();
    String suffix = System.getenv(JDK_RECORD_VARIABLE);
    if (suffix == null || !suffix.matches("\\.[a-z]+(\\.[a-z]+)*")) {
      suffix = JDK_RECORD_SUFFIX;
    }
    Path record = besideJar(jar, suffix);
    try {
      Files.writeString(record, System.getProperty("java.home") + "\n");
      return Optional.of(record);
    } catch (IOException failure) {
      throw new UncheckedIOException("cannot write the JDK record next to " + jar, failure);
    }
  }

  /** {@code jar}'s sibling named as the jar without {@code .jar}, followed by {@code suffix}. */
  private static Path besideJar(Path jar, String suffix) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + suffix);
  }

  /** The plugin's jar, when the plugin runs from one. */
  private static Optional<Path> pluginJar() {
    Path jar;
    try {
      jar = Path.of(TrainingRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException unknown) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
      return Optional.empty();
    }
    return Optional.of(jar);
  }

  /** Whether {@code env} asks for a training run. */
  public static boolean requested(Map<String, String> env) {
    return "1".equals(env.get(VARIABLE));
  }

  /**
   * A configuration of every JSON kind, parsed by every training run: a plugin configuration is
   * specific to each plugin and the build may give none, but the parser's classes are the same.
   */
  public static final String SAMPLE_CONFIG =
      "{\"s\": \"x\", \"n\": 1.5, \"b\": true, \"z\": null, \"l\": [1, \"y\"], \"o\": {\"k\": false}}";

  /**
   * Calls the plugin served at {@code handshake} the way a host does (health, Describe, Reads of
   * each of {@code types}), ignoring driver failures.
   */
  public static void exercise(HandshakeLine handshake, List<String> types) {
    NettyChannelBuilder builder =
        (NettyChannelBuilder)
            Grpc.newChannelBuilder(
                "unix://" + handshake.address(), InsecureChannelCredentials.create());
    ManagedChannel channel = builder.withOption(ChannelOption.SO_KEEPALIVE, null).build();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(HealthService.NAME).build());
      PluginServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .describe(DescribeRequest.newBuilder().setHostContractVersion("v1").build());
      for (int round = 0; round < ROUNDS; round++) {
        for (String type : types) {
          ReadRequest read =
              ReadRequest.newBuilder()
                  .setActionId("training")
                  .setResource(
                      ResourceSpec.newBuilder()
                          .setName("training")
                          .setType(type)
                          .setConfig(Struct.getDefaultInstance()))
                  .setProviderId("compensa-training-absent")
                  .build();
          try {
            DriverServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .read(read);
          } catch (StatusRuntimeException driverFailure) {
            // a driver may refuse a made-up resource: the classes of the failure path count too
          }
        }
      }
    } finally {
      channel.shutdownNow();
    }
  }
}
