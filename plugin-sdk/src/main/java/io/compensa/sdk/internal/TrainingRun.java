package io.compensa.sdk.internal;

import com.google.protobuf.Struct;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's training run, for the class-data archive its packaging makes at build time: with
 * {@value #VARIABLE}{@code =1} in its environment the plugin serves on a Unix socket, calls itself
 * as a host would (health, Describe, a Read of each type), stops and exits 0. Run under
 * {@code -XX:ArchiveClassesAtExit}, the JVM then writes an archive of every class a real launch
 * needs, which {@code -XX:SharedArchiveFile} maps at the next start instead of loading them one by
 * one. Used once per process.
 */
final class TrainingRun {
  /** The variable that asks for a training run instead of serving a host. */
  static final String VARIABLE = "COMPENSA_PLUGIN_TRAINING";

  private static final int ROUNDS = 200;

  private TrainingRun() {}

  /** Whether {@code env} asks for a training run. */
  static boolean requested(Map<String, String> env) {
    return "1".equals(env.get(VARIABLE));
  }

  /** Calls the plugin served at {@code handshake} the way a host does, ignoring driver failures. */
  static void exercise(HandshakeLine handshake, PluginDefinition definition) {
    NettyChannelBuilder builder = (NettyChannelBuilder) Grpc.newChannelBuilder(
        "unix://" + handshake.address(), InsecureChannelCredentials.create());
    ManagedChannel channel = builder.withOption(ChannelOption.SO_KEEPALIVE, null).build();
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(PluginServer.HEALTH_SERVICE).build());
      PluginServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .describe(DescribeRequest.newBuilder().setHostContractVersion("v1").build());
      for (int round = 0; round < ROUNDS; round++) {
        for (TypeRegistration registration : definition.types()) {
          ReadRequest read = ReadRequest.newBuilder().setActionId("training")
              .setResource(ResourceSpec.newBuilder().setName("training")
                  .setType(registration.type().name()).setConfig(Struct.getDefaultInstance()))
              .setProviderId("compensa-training-absent")
              .build();
          try {
            DriverServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
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
