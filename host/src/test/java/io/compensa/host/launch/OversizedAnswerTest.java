package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.client.PluginCall;
import io.compensa.host.client.PluginCallException;
import io.compensa.host.client.PluginCrashedException;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.LaunchedPluginEndpoint;
import io.compensa.host.testing.SizedPlugin;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A plugin's answer larger than the host's maximum inbound message size fails that call with an
 * error that names the limit and the call and says what to do; the plugin stays usable. The limit
 * is a bounded {@link LaunchOptions} setting.
 */
class OversizedAnswerTest {
  private static final int LIMIT = 64 * 1024;
  private static final int OVERSIZED = 200 * 1024;

  private final PluginLauncher launcher = new PluginLauncher();

  private static LaunchOptions.Builder options() {
    return LaunchOptions.builder(SizedPlugin.command())
        .name("sized")
        .startTimeout(Duration.ofSeconds(30));
  }

  @Test
  void anAnswerOverTheLimitFailsItsCallNamingTheLimitAndTheCallAndThePluginStaysUsable() {
    try (LaunchedPlugin plugin = launcher.launch(options().maxInboundMessageBytes(LIMIT).build())) {
      PluginCallException failure =
          catchThrowableOfType(
              PluginCallException.class, () -> plugin.client().read(read("big", OVERSIZED)));

      assertThat(failure).isNotInstanceOf(PluginCrashedException.class);
      assertThat(failure.call()).isEqualTo(PluginCall.READ);
      assertThat(failure.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(failure.retryable()).isFalse();
      assertThat(failure)
          .hasMessageStartingWith(
              "plugin sized: Read failed: the plugin's answer was larger than the host's limit of "
                  + LIMIT
                  + " bytes")
          .hasMessageContaining("raise LaunchOptions.maxInboundMessageBytes")
          .hasMessageContaining("or make the plugin return less from Read");

      assertThat(plugin.client().read(read("small", 1024)).getExists()).isTrue();
      assertThat(plugin.isAlive()).isTrue();
    }
  }

  @Test
  void throughTheEndpointTheOversizedAnswerIsAnOrdinaryNonRetryableDriverErrorAndNotACrash()
      throws Exception {
    LaunchOptions options = options().maxInboundMessageBytes(LIMIT).build();
    try (LaunchedPluginEndpoint endpoint =
        new LaunchedPluginEndpoint(launcher.launch(options), () -> launcher.launch(options), 3)) {
      DriverCallException failure =
          catchThrowableOfType(
              DriverCallException.class, () -> endpoint.read(read("big", OVERSIZED)));

      assertThat(failure.crashed()).isFalse();
      assertThat(failure.retryable()).isFalse();
      assertThat(failure)
          .hasMessageContaining("the plugin's answer was larger than the host's limit of " + LIMIT)
          .hasMessageContaining("LaunchOptions.maxInboundMessageBytes");
      assertThat(endpoint.read(read("small", 10)).getExists()).isTrue();
      assertThat(endpoint.relaunches()).isZero();
    }
  }

  @Test
  void theSameAnswerPassesUnderTheDefaultLimitOf64MiB() {
    assertThat(options().build().maxInboundMessageBytes()).isEqualTo(64 * 1024 * 1024);
    try (LaunchedPlugin plugin = launcher.launch(options().build())) {
      assertThat(
              plugin
                  .client()
                  .read(read("big", OVERSIZED))
                  .getOutput()
                  .getOutputs()
                  .getFieldsOrThrow("data")
                  .getStringValue())
          .hasSize(OVERSIZED);
    }
  }

  @Test
  void theLimitIsBoundedBetween1KiBAnd1GiB() {
    assertThatThrownBy(() -> options().maxInboundMessageBytes(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the maximum inbound message size must be between 1024 bytes (1 KiB) and 1073741824 bytes"
                + " (1 GiB), got 1023");
    assertThatThrownBy(() -> options().maxInboundMessageBytes(1024 * 1024 * 1024 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(options().maxInboundMessageBytes(1024).build().maxInboundMessageBytes())
        .isEqualTo(1024);
    assertThat(
            options().maxInboundMessageBytes(1024 * 1024 * 1024).build().maxInboundMessageBytes())
        .isEqualTo(1024 * 1024 * 1024);
  }

  private static ReadRequest read(String name, int size) {
    return ReadRequest.newBuilder()
        .setActionId("read-" + name)
        .setResource(
            ResourceSpec.newBuilder()
                .setName(name)
                .setType(SizedPlugin.TYPE)
                .setConfig(
                    Struct.newBuilder()
                        .putFields("size", Value.newBuilder().setNumberValue(size).build())))
        .build();
  }
}
