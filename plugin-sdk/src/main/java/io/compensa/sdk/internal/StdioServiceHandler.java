package io.compensa.sdk.internal;

import com.google.protobuf.Empty;
import io.compensa.proto.goplugin.GRPCStdioGrpc;
import io.compensa.proto.goplugin.StdioData;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves go-plugin's {@code plugin.GRPCStdio}: an open stream that sends nothing (the SDK writes
 * its output to stderr, which the host reads directly) and completes when the plugin stops.
 *
 * <p>Thread-safe.
 */
public final class StdioServiceHandler extends GRPCStdioGrpc.GRPCStdioImplBase {

  private final List<StreamObserver<StdioData>> open = new ArrayList<>();
  private boolean closed;

  @Override
  public void streamStdio(Empty request, StreamObserver<StdioData> observer) {
    synchronized (open) {
      if (!closed) {
        open.add(observer);
        return;
      }
    }
    observer.onCompleted();
  }

  /** Completes every open stream; later streams complete at once. */
  public void completeAll() {
    List<StreamObserver<StdioData>> toComplete;
    synchronized (open) {
      closed = true;
      toComplete = new ArrayList<>(open);
      open.clear();
    }
    for (StreamObserver<StdioData> observer : toComplete) {
      try {
        observer.onCompleted();
      } catch (RuntimeException alreadyCancelled) {
        // the host cancelled the stream first: nothing is left to complete
      }
    }
  }
}
