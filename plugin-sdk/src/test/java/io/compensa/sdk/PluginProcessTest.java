package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.goplugin.Empty;
import io.compensa.proto.goplugin.GRPCControllerGrpc;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ResourceSpec;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin process as a host sees it: the SDK's {@link TinyPlugin} started as a real child
 * process, talked to over real sockets.
 */
class PluginProcessTest {

  @TempDir Path socketDir;

  private Map<String, String> hostEnv() {
    Map<String, String> env = new HashMap<>();
    env.put(PluginUnderTest.COOKIE_KEY, PluginUnderTest.COOKIE_VALUE);
    env.put("PLUGIN_PROTOCOL_VERSIONS", "1");
    env.put("PLUGIN_UNIX_SOCKET_DIR", socketDir.toString());
    return env;
  }

  private static ManagedChannel channel(String handshake) {
    String[] parts = handshake.split("\\|");
    String target = parts[2].equals("unix") ? "unix://" + parts[3] : parts[3];
    return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
  }

  private static void shutDown(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void startedWithoutTheCookieExplainsAndExitsNonZero() throws Exception {
    try (PluginUnderTest plugin = PluginUnderTest.start(Map.of())) {
      assertThat(plugin.awaitExit(30)).isNotZero();
      assertThat(plugin.stdout()).isEmpty();
      assertThat(String.join("\n", plugin.stderr()))
          .contains("This binary is a Compensa plugin")
          .contains("start it from a Compensa host");
    }
  }

  @Test
  void withTheCookieAndASocketDirItAnswersWithAUnixHandshakeAndServesHealth() throws Exception {
    try (PluginUnderTest plugin = PluginUnderTest.start(hostEnv())) {
      String handshake = plugin.handshake();
      assertThat(handshake).matches("1\\|1\\|unix\\|" + socketDir + "/[^|]+\\.sock\\|grpc");

      ManagedChannel channel = channel(handshake);
      try {
        HealthCheckResponse health =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        shutDown(channel);
      }
    }
  }

  @Test
  void withoutASocketDirItListensOnATcpPortInTheGivenRange() throws Exception {
    Map<String, String> env = hostEnv();
    env.remove("PLUGIN_UNIX_SOCKET_DIR");
    env.put("PLUGIN_MIN_PORT", "23100");
    env.put("PLUGIN_MAX_PORT", "23140");
    try (PluginUnderTest plugin = PluginUnderTest.start(env)) {
      String handshake = plugin.handshake();
      assertThat(handshake).matches("1\\|1\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc");
      int port = Integer.parseInt(handshake.split("\\|")[3].split(":")[1]);
      assertThat(port).isBetween(23100, 23140);

      ManagedChannel channel = channel(handshake);
      try {
        assertThat(
                PluginServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .describe(DescribeRequest.getDefaultInstance())
                    .getManifest()
                    .getName())
            .isEqualTo("tiny");
      } finally {
        shutDown(channel);
      }
    }
  }

  @Test
  void controllerShutdownEndsTheProcessWithStatusZero() throws Exception {
    try (PluginUnderTest plugin = PluginUnderTest.start(hostEnv())) {
      ManagedChannel channel = channel(plugin.handshake());
      try {
        GRPCControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .shutdown(Empty.getDefaultInstance());
      } finally {
        shutDown(channel);
      }
      assertThat(plugin.awaitExit(15)).isZero();
    }
  }

  @Test
  void everyStderrLineIsHclogJsonWithKeyValuePairsAsFields() throws Exception {
    try (PluginUnderTest plugin = PluginUnderTest.start(hostEnv())) {
      ManagedChannel channel = channel(plugin.handshake());
      try {
        DriverServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .create(
                CreateRequest.newBuilder()
                    .setActionId("a1")
                    .setResource(ResourceSpec.newBuilder().setName("memo").setType("tiny_note"))
                    .build());
        GRPCControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .shutdown(Empty.getDefaultInstance());
      } finally {
        shutDown(channel);
      }
      plugin.awaitExit(15);

      assertThat(plugin.stderr())
          .isNotEmpty()
          .allSatisfy(
              line -> {
                Struct.Builder json = Struct.newBuilder();
                JsonFormat.parser().merge(line, json);
                assertThat(json.getFieldsMap()).containsKeys("@level", "@message", "@timestamp");
                assertThat(json.getFieldsOrThrow("@module").getStringValue()).isEqualTo("tiny");
                assertThat(json.getFieldsOrThrow("@level").getStringValue())
                    .isIn("trace", "debug", "info", "warn", "error");
                assertThat(json.getFieldsOrThrow("@timestamp").getStringValue())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
              });
      assertThat(plugin.stderr()).noneMatch(line -> line.contains("SO_KEEPALIVE"));
      assertThat(plugin.stderr())
          .anySatisfy(
              line -> {
                Struct.Builder json = Struct.newBuilder();
                JsonFormat.parser().merge(line, json);
                assertThat(json.getFieldsOrThrow("@message").getStringValue())
                    .isEqualTo("created note");
                assertThat(json.getFieldsOrThrow("name").getStringValue()).isEqualTo("memo");
                assertThat(json.getFieldsOrThrow("action").getStringValue()).isEqualTo("a1");
              });
    }
  }

  @Test
  void whatThePluginPrintsOnStdoutGoesToStderrAndNeverBeforeTheHandshake() throws Exception {
    Map<String, String> env = hostEnv();
    env.put("COMPENSA_PLUGIN_CONFIG", "{\"print_to_stdout\": true}");
    try (PluginUnderTest plugin = PluginUnderTest.start(env)) {
      assertThat(plugin.handshake()).startsWith("1|1|unix|");
      plugin.kill();
      assertThat(plugin.stdout()).hasSize(1);
      assertThat(plugin.stderr()).anyMatch(line -> line.contains("a careless author prints"));
    }
  }

  @Test
  void malformedPluginConfigIsExplainedAndExitsNonZeroBeforeTheHandshake() throws Exception {
    Map<String, String> env = hostEnv();
    env.put("COMPENSA_PLUGIN_CONFIG", "{\"root\": ");
    try (PluginUnderTest plugin = PluginUnderTest.start(env)) {
      assertThat(plugin.awaitExit(30)).isEqualTo(1);
      assertThat(plugin.stdout()).isEmpty();
      assertThat(String.join("\n", plugin.stderr())).contains("COMPENSA_PLUGIN_CONFIG");
    }
  }

  @Test
  void exitsOnItsOwnWhenTheHostProcessIsGone() throws Exception {
    Process host = new ProcessBuilder("sleep", "600").start();
    try {
      Map<String, String> env = hostEnv();
      env.put("COMPENSA_HOST_PID", Long.toString(host.pid()));
      try (PluginUnderTest plugin = PluginUnderTest.start(env)) {
        plugin.handshake();
        assertThat(plugin.isAlive()).isTrue();

        host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(plugin.awaitExit(10)).isZero();
        assertThat(plugin.stderr()).anyMatch(line -> line.contains("is gone"));
        // a host that died before it connected could not remove the socket's directory: the
        // plugin leaves nothing of it in temporary space
        assertThat(socketDir).as("the socket directory, emptied and removed").doesNotExist();
      }
    } finally {
      host.destroyForcibly();
    }
  }

  @Test
  void ignoresSigintBecauseTheHostDrivesShutdown() throws Exception {
    try (PluginUnderTest plugin = PluginUnderTest.start(hostEnv())) {
      plugin.handshake();

      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(plugin.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(1000);

      assertThat(plugin.isAlive()).isTrue();
    }
  }

  @Test
  void compensaLogLevelHidesLinesBelowIt() throws Exception {
    Map<String, String> env = hostEnv();
    env.put("COMPENSA_LOG_LEVEL", "warn");
    try (PluginUnderTest plugin = PluginUnderTest.start(env)) {
      ManagedChannel channel = channel(plugin.handshake());
      try {
        GRPCControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .shutdown(Empty.getDefaultInstance());
      } finally {
        shutDown(channel);
      }
      assertThat(plugin.awaitExit(15)).isZero();
      assertThat(plugin.stderr()).noneMatch(line -> line.contains("\"@level\":\"info\""));
    }
  }
}
