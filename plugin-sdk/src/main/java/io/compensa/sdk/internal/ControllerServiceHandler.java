package io.compensa.sdk.internal;

import io.compensa.proto.goplugin.Empty;
import io.compensa.proto.goplugin.GRPCControllerGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Serves go-plugin's {@code plugin.GRPCController}: Shutdown answers, then asks the plugin to stop.
 *
 * <p>Thread-safe.
 */
public final class ControllerServiceHandler extends GRPCControllerGrpc.GRPCControllerImplBase {

  private final Runnable shutdown;

  /**
   * Creates the handler.
   *
   * @param shutdown stops the plugin; called after the answer is sent, must not block
   */
  public ControllerServiceHandler(Runnable shutdown) {
    this.shutdown = shutdown;
  }

  @Override
  public void shutdown(Empty request, StreamObserver<Empty> observer) {
    observer.onNext(Empty.getDefaultInstance());
    observer.onCompleted();
    shutdown.run();
  }
}
