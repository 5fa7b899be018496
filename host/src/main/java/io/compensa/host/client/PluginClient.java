package io.compensa.host.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.compensa.proto.v1.CompensableServiceGrpc;
import io.compensa.proto.v1.CompensateRequest;
import io.compensa.proto.v1.CompensateResponse;
import io.compensa.proto.v1.CreateRequest;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeleteResponse;
import io.compensa.proto.v1.DescribeRequest;
import io.compensa.proto.v1.DiffRequest;
import io.compensa.proto.v1.DiffResponse;
import io.compensa.proto.v1.DriverError;
import io.compensa.proto.v1.DriverServiceGrpc;
import io.compensa.proto.v1.FinalizeApplyRequest;
import io.compensa.proto.v1.FinalizeApplyResponse;
import io.compensa.proto.v1.FinalizerServiceGrpc;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginServiceGrpc;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.UpdateRequest;
import io.compensa.proto.v1.UpdateResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, blocking calls to one plugin's Compensa services, each with a deadline.
 *
 * <p>Every method sets the deadline {@link CallDeadlines} gives its call, and turns a failure into
 * a {@link PluginCallException} (carrying the plugin's {@link DriverError} when it sent one) or,
 * when the plugin process died, a {@link PluginCrashedException}.
 *
 * <p>Thread-safe: one client serves concurrent calls over one channel.
 */
public final class PluginClient {
  /** The contract version this host speaks, sent with {@code Describe}. */
  public static final String CONTRACT_VERSION = "v1";

  /** How long a failed call waits for a dying process to be reported dead. */
  private static final Duration CRASH_SETTLE_TIME = Duration.ofMillis(500);

  /** Statuses a dropped connection produces; only these can mean the plugin died. */
  private static final Set<Status.Code> CONNECTION_LOSS =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN,
          Status.Code.INTERNAL);

  /** How grpc-java describes a received message over the channel's limit. */
  private static final Pattern MESSAGE_TOO_LARGE = Pattern.compile("exceeds maximum size (\\d+)");

  private final String pluginName;
  private final CallDeadlines deadlines;
  private final CrashWatch crashWatch;

  /** The channel's limit on a message from the plugin, in bytes; 0 when the caller did not say. */
  private final int maxInboundMessageBytes;

  private final Channel channel;

  /** The calls in flight, for {@link BlockingUnaryCall}'s choice between polling and sleeping. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * Creates a client over {@code channel}; the caller keeps owning the channel.
   *
   * @param pluginName the plugin's name, used in error messages
   * @param crashWatch tells the client whether the process behind the channel died
   */
  public PluginClient(
      Channel channel, String pluginName, CallDeadlines deadlines, CrashWatch crashWatch) {
    this(channel, pluginName, deadlines, crashWatch, 0);
  }

  /**
   * Creates a client over {@code channel}, whose largest accepted message from the plugin is {@code
   * maxInboundMessageBytes}; errors about a too-large answer name that limit.
   */
  public PluginClient(
      Channel channel,
      String pluginName,
      CallDeadlines deadlines,
      CrashWatch crashWatch,
      int maxInboundMessageBytes) {
    Objects.requireNonNull(channel, "channel");
    this.maxInboundMessageBytes = maxInboundMessageBytes;
    this.pluginName = Objects.requireNonNull(pluginName, "pluginName");
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    this.crashWatch = Objects.requireNonNull(crashWatch, "crashWatch");
    this.channel = channel;
  }

  /** The plugin's name, as the host knows it. */
  public String pluginName() {
    return pluginName;
  }

  /** Asks the plugin for its manifest. */
  public Manifest describe() {
    DescribeRequest request =
        DescribeRequest.newBuilder().setHostContractVersion(CONTRACT_VERSION).build();
    return call(PluginCall.DESCRIBE, PluginServiceGrpc.getDescribeMethod(), request).getManifest();
  }

  /** Creates a resource; a repeated request with the same action id does not create twice. */
  public CreateResponse create(CreateRequest request) {
    return call(PluginCall.CREATE, DriverServiceGrpc.getCreateMethod(), request);
  }

  /** Reads a resource's current shape. */
  public ReadResponse read(ReadRequest request) {
    return call(PluginCall.READ, DriverServiceGrpc.getReadMethod(), request);
  }

  /** Updates a resource in place. */
  public UpdateResponse update(UpdateRequest request) {
    return call(PluginCall.UPDATE, DriverServiceGrpc.getUpdateMethod(), request);
  }

  /** Deletes a resource; deleting one that is already gone succeeds. */
  public DeleteResponse delete(DeleteRequest request) {
    return call(PluginCall.DELETE, DriverServiceGrpc.getDeleteMethod(), request);
  }

  /** Asks what it takes to get from the recorded state to the desired spec. */
  public DiffResponse diff(DiffRequest request) {
    return call(PluginCall.DIFF, DriverServiceGrpc.getDiffMethod(), request);
  }

  /** Runs the plugin's finalizer; only for plugins with the FINALIZER capability. */
  public FinalizeApplyResponse finalizeApply(FinalizeApplyRequest request) {
    return call(PluginCall.FINALIZE_APPLY, FinalizerServiceGrpc.getFinalizeApplyMethod(), request);
  }

  /** Asks the plugin to undo one action; only for plugins with the COMPENSABLE capability. */
  public CompensateResponse compensate(CompensateRequest request) {
    return call(PluginCall.COMPENSATE, CompensableServiceGrpc.getCompensateMethod(), request);
  }

  private <Q, R> R call(PluginCall call, MethodDescriptor<Q, R> method, Q request) {
    if (crashWatch.mayHaveDied()) {
      Optional<PluginCrash> earlier = crashWatch.crash(Duration.ZERO);
      if (earlier.isPresent()) {
        throw new PluginCrashedException(pluginName, call, earlier.get(), Status.UNAVAILABLE, null);
      }
    }
    Duration deadline = deadlines.forCall(call);
    try {
      return BlockingUnaryCall.call(
          channel,
          method,
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS),
          request,
          inFlight);
    } catch (StatusRuntimeException e) {
      throw translate(call, deadline, e);
    }
  }

  private PluginCallException translate(
      PluginCall call, Duration deadline, StatusRuntimeException e) {
    Status status = e.getStatus();
    DriverError detail = driverError(e);
    // a status with a DriverError is the plugin's own answer, so the plugin was alive to give it
    if (detail == null && CONNECTION_LOSS.contains(status.getCode())) {
      Optional<PluginCrash> crash = crashWatch.crash(CRASH_SETTLE_TIME);
      if (crash.isPresent()) {
        return new PluginCrashedException(pluginName, call, crash.get(), status, e);
      }
    }
    return new PluginCallException(
        describe(call, deadline, status, detail), pluginName, call, status, detail, e);
  }

  private String describe(PluginCall call, Duration deadline, Status status, DriverError detail) {
    String what = "plugin " + pluginName + ": " + call.methodName() + " failed";
    if (crashWatch.closedByHost()) {
      return what + " because the host has closed the plugin; launch it again to call it";
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return what
          + ": no answer within its deadline of "
          + deadline
          + "; raise the deadline for "
          + call.name()
          + " in CallDeadlines if the call is slow by nature";
    }
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && detail == null
        && answerTooLarge(status.getDescription())) {
      String limit =
          maxInboundMessageBytes > 0
              ? "the host's limit of " + maxInboundMessageBytes + " bytes"
              : "the host's limit";
      return what
          + ": the plugin's answer was larger than "
          + limit
          + " for a message from a plugin ("
          + status.getDescription()
          + "); raise LaunchOptions.maxInboundMessageBytes (up to 1 GiB), or make the plugin return"
          + " less from "
          + call.methodName();
    }
    if (status.getCode() == Status.Code.UNIMPLEMENTED) {
      return what
          + ": the plugin does not serve "
          + call.methodName()
          + " ("
          + status.getDescription()
          + "); check the capabilities in its manifest";
    }
    String message = detail != null ? detail.getMessage() : status.getDescription();
    return what
        + " with "
        + status.getCode()
        + ": "
        + message
        + (detail != null && detail.getRetryable() ? " (retryable)" : "");
  }

  /**
   * Whether {@code description} is gRPC's own complaint that a message received by this channel
   * exceeds its limit ("gRPC message exceeds maximum size N: M"), as opposed to the plugin's
   * refusal of the host's request, which names the plugin's limit instead.
   */
  private boolean answerTooLarge(String description) {
    if (description == null) {
      return false;
    }
    Matcher limit = MESSAGE_TOO_LARGE.matcher(description);
    if (!limit.find()) {
      return false;
    }
    return maxInboundMessageBytes <= 0
        || limit.group(1).equals(Integer.toString(maxInboundMessageBytes));
  }

  private static DriverError driverError(StatusRuntimeException e) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    if (rich == null) {
      return null;
    }
    for (Any detail : rich.getDetailsList()) {
      if (detail.is(DriverError.class)) {
        try {
          return detail.unpack(DriverError.class);
        } catch (InvalidProtocolBufferException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
