package io.compensa.host.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long the host waits for each kind of plugin call before it gives up.
 *
 * <p>gRPC calls have no deadline unless one is set; the host sets one on every call so a plugin
 * that hangs fails the call instead of the host. A default applies to every call, and single calls
 * (a slow Create, say) can be given their own.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class CallDeadlines {
  /** The deadline of every call that has no deadline of its own: 30 seconds. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private final Duration defaultDeadline;
  private final Map<PluginCall, Duration> perCall;

  private CallDeadlines(Builder builder) {
    this.defaultDeadline = builder.defaultDeadline;
    this.perCall = new EnumMap<>(builder.perCall);
  }

  /** The defaults: {@link #DEFAULT_DEADLINE} for every call. */
  public static CallDeadlines defaults() {
    return builder().build();
  }

  /** Starts a builder with {@link #DEFAULT_DEADLINE} for every call. */
  public static Builder builder() {
    return new Builder();
  }

  /** The deadline of {@code call}. */
  public Duration forCall(PluginCall call) {
    return perCall.getOrDefault(call, defaultDeadline);
  }

  @Override
  public String toString() {
    return "CallDeadlines{default=" + defaultDeadline + ", perCall=" + perCall + "}";
  }

  /** Builds {@link CallDeadlines}; not thread-safe. */
  public static final class Builder {
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private final Map<PluginCall, Duration> perCall = new EnumMap<>(PluginCall.class);

    private Builder() {}

    /** Sets the deadline of every call that has no deadline of its own. */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = positive(deadline, "default deadline");
      return this;
    }

    /** Sets the deadline of one kind of call. */
    public Builder deadline(PluginCall call, Duration deadline) {
      perCall.put(Objects.requireNonNull(call, "call"), positive(deadline, call.methodName()));
      return this;
    }

    /** Builds the deadlines. */
    public CallDeadlines build() {
      return new CallDeadlines(this);
    }

    private static Duration positive(Duration deadline, String what) {
      Objects.requireNonNull(deadline, what);
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("the " + what + " must be positive, got " + deadline);
      }
      return deadline;
    }
  }
}
