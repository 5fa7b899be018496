package io.compensa.sdk.internal;

import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DescribeResponse;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Serves {@code compensa.v1.PluginService}: answers Describe with the manifest built from the
 * plugin's registrations.
 *
 * <p>Thread-safe: the manifest is built once.
 */
public final class PluginServiceHandler extends PluginServiceGrpc.PluginServiceImplBase {

  private final DescribeResponse response;

  /**
   * Creates the handler.
   *
   * @param manifest the plugin's manifest
   */
  public PluginServiceHandler(Manifest manifest) {
    this.response = DescribeResponse.newBuilder().setManifest(manifest).build();
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> observer) {
    observer.onNext(response);
    observer.onCompleted();
  }
}
