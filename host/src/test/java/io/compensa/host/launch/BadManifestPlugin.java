package io.compensa.host.launch;

import io.compensa.proto.v1.CompensationPolicies;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DescribeResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ResourceType;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plugin written straight on grpc-java whose manifest declares PLUGIN compensation without
 * serving CompensableService, which the SDK would not let an author do. Serves TCP only; writes its
 * pid to FAKE_PID_FILE.
 */
public final class BadManifestPlugin {
  private BadManifestPlugin() {}

  /** Serves until killed. */
  public static void main(String[] args) throws Exception {
    Files.writeString(
        Path.of(System.getenv("FAKE_PID_FILE")), Long.toString(ProcessHandle.current().pid()));
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("plugin", HealthCheckResponse.ServingStatus.SERVING);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(health.getHealthService())
            .addService(new Describer())
            .build()
            .start();
    System.out.println("1|1|tcp|127.0.0.1:" + server.getPort() + "|grpc");
    System.out.flush();
    server.awaitTermination();
  }

  private static final class Describer extends PluginServiceGrpc.PluginServiceImplBase {
    @Override
    public void describe(DescribeRequest request, StreamObserver<DescribeResponse> response) {
      ResourceType bucket =
          ResourceType.newBuilder()
              .setName("bucket")
              .addOperations(Operation.OPERATION_CREATE)
              .addOperations(Operation.OPERATION_READ)
              .addOperations(Operation.OPERATION_DELETE)
              .setCompensation(
                  CompensationPolicies.newBuilder()
                      .setCreate(CompensationPolicy.COMPENSATION_POLICY_PLUGIN))
              .build();
      response.onNext(
          DescribeResponse.newBuilder()
              .setManifest(Manifest.newBuilder().setName("bad").addResourceTypes(bucket))
              .build());
      response.onCompleted();
    }
  }
}
