package io.compensa.sdk.internal;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves each call's handler, and only the handler, from the transport's event loop to the worker
 * pool.
 *
 * <p>The server runs with a direct executor, so the transport's event loop does the cheap,
 * non-blocking part of every call itself: it starts the call, decodes the request and hands the
 * call's half-close (where gRPC's stubs invoke the service method, and so the driver) to a worker.
 * This costs one thread hand-off per call instead of the several that gRPC's default executor makes
 * (call start, message, half-close, completion), and a driver that blocks still stalls no other
 * call. Events that arrive while the handler runs (cancellation, completion) are queued and run
 * after it on the same worker, keeping the listener's events in order; events after the handler has
 * returned run where they arrive: they only flip gRPC's own flags, as the SDK's services set no
 * cancel or completion callbacks.
 *
 * <p>Thread-safe; one instance serves every call.
 */
public final class WorkerHandoff implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(WorkerHandoff.class);

  private final Executor workers;
  private final RunningHandlers handlers;

  /**
   * Creates the interceptor.
   *
   * @param workers where handlers run; may block
   * @param handlers told of each hand-off and of each handler's return, for the event loop's {@link
   *     BusyPollStrategy}
   */
  public WorkerHandoff(Executor workers, RunningHandlers handlers) {
    this.workers = workers;
    this.handlers = handlers;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return new Listener<>(next.startCall(call, headers), call, workers, handlers);
  }

  /** One call's listener: direct until half-close, then serialised behind the handler. */
  private static final class Listener<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final ServerCall<ReqT, ?> call;
    private final Executor workers;

    /** Events that arrived while the handler ran; guarded by itself. */
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>(2);

    /** Whether a worker runs the handler or the events queued behind it; guarded by pending. */
    private boolean handlerRunning;

    private final RunningHandlers handlers;

    Listener(
        ServerCall.Listener<ReqT> delegate,
        ServerCall<ReqT, ?> call,
        Executor workers,
        RunningHandlers handlers) {
      super(delegate);
      this.call = call;
      this.workers = workers;
      this.handlers = handlers;
    }

    @Override
    public void onHalfClose() {
      synchronized (pending) {
        handlerRunning = true;
      }
      Context context = Context.current();
      try {
        handlers.handedOff();
        workers.execute(() -> runHandler(context));
      } catch (RejectedExecutionException stopping) {
        handlers.returned();
        synchronized (pending) {
          handlerRunning = false;
        }
        call.close(Status.UNAVAILABLE.withDescription("the plugin is stopping"), new Metadata());
      }
    }

    private void runHandler(Context context) {
      Context previous = context.attach();
      try {
        super.onHalfClose();
      } catch (RuntimeException | Error failure) {
        // what gRPC's own executor does with a handler that throws: fail the call, not the thread
        log.atError().setCause(failure).log("a call's handler failed: {}", failure.toString());
        closeQuietly(
            Status.UNKNOWN.withDescription("Application error processing RPC").withCause(failure));
      } finally {
        handlers.returned();
        context.detach(previous);
      }
      while (true) {
        Runnable next;
        synchronized (pending) {
          next = pending.poll();
          if (next == null) {
            handlerRunning = false;
            return;
          }
        }
        next.run();
      }
    }

    private void closeQuietly(Status status) {
      try {
        call.close(status, new Metadata());
      } catch (IllegalStateException alreadyClosed) {
        // the handler had answered before it failed
      }
    }

    private void afterHandler(Runnable event) {
      synchronized (pending) {
        if (handlerRunning) {
          pending.add(Context.current().wrap(event));
          return;
        }
      }
      event.run();
    }

    @Override
    public void onCancel() {
      afterHandler(super::onCancel);
    }

    @Override
    public void onComplete() {
      afterHandler(super::onComplete);
    }

    @Override
    public void onReady() {
      afterHandler(super::onReady);
    }

    @Override
    public void onMessage(ReqT message) {
      afterHandler(() -> super.onMessage(message));
    }
  }
}
