package io.compensa.host.client;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A blocking unary call whose thread, while it is its client's only call in flight, polls for the
 * answer for a moment before it sleeps.
 *
 * <p>What a gRPC blocking stub does (the calling thread runs the call's callbacks itself, and an
 * interrupt cancels the call), except for how the thread waits. A stub's thread sleeps at once, and
 * the transport's thread then has to wake it for the answer: on a virtual machine ~20 µs, because
 * the sleeping CPU is halted, a fifth of a driver call's round trip. A host that calls one driver
 * after another (an apply of dependent actions, a refresh, the CLI) waits for each answer with
 * nothing else to do, so while the call is the client's only one in flight its thread first polls
 * for up to {@link #POLL_NANOS}, yielding the CPU between polls so the plugin, on a busy machine,
 * gets it first. With other calls in flight the CPU has better uses, and it sleeps at once.
 *
 * <p>One instance per call; not reusable.
 */
final class BlockingUnaryCall implements Executor {
  /** How long a lone call's thread polls for its answer before it sleeps. */
  static final long POLL_NANOS = 200_000;

  private final ConcurrentLinkedQueue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
  private final Thread caller = Thread.currentThread();
  private volatile boolean sleeping;

  private BlockingUnaryCall() {}

  /**
   * Calls {@code method} with {@code request} and returns the answer, polling as described above.
   *
   * @param inFlight the calls the client has in flight, this one included once it starts
   * @throws StatusRuntimeException when the call fails, with the status and trailers it ended with
   */
  static <ReqT, RespT> RespT call(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions options,
      ReqT request,
      AtomicInteger inFlight) {
    BlockingUnaryCall waiter = new BlockingUnaryCall();
    ClientCall<ReqT, RespT> call = channel.newCall(method, options.withExecutor(waiter));
    inFlight.incrementAndGet();
    boolean interrupted = false;
    try {
      ListenableFuture<RespT> answer = ClientCalls.futureUnaryCall(call, request);
      long start = System.nanoTime();
      while (!answer.isDone()) {
        Runnable callback = waiter.callbacks.poll();
        if (callback != null) {
          callback.run();
        } else if (inFlight.get() == 1 && System.nanoTime() - start < POLL_NANOS) {
          Thread.yield();
        } else if (waiter.sleep()) {
          // as a blocking stub: an interrupt cancels the call, whose end is still waited for
          interrupted = true;
          call.cancel("Thread interrupted", null);
        }
      }
      return unwrap(answer);
    } finally {
      inFlight.decrementAndGet();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void execute(Runnable callback) {
    callbacks.add(callback);
    if (sleeping) {
      LockSupport.unpark(caller);
    }
  }

  /** Sleeps until a callback arrives; returns whether the thread was interrupted. */
  private boolean sleep() {
    sleeping = true;
    try {
      if (callbacks.isEmpty()) {
        LockSupport.park(this);
      }
    } finally {
      sleeping = false;
    }
    return Thread.interrupted();
  }

  private static <RespT> RespT unwrap(ListenableFuture<RespT> answer) {
    try {
      return answer.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      Status status = Status.fromThrowable(cause);
      throw status.asRuntimeException(Status.trailersFromThrowable(cause));
    } catch (CancellationException e) {
      throw Status.CANCELLED
          .withDescription("call was cancelled")
          .withCause(e)
          .asRuntimeException();
    } catch (InterruptedException e) {
      // the answer is done: get() does not wait
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
    }
  }
}
