package io.compensa.host.apply;

import io.compensa.host.journal.Journal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an apply runs: parallelism, failure policy, retries, journal and post-driver hooks. Immutable
 * and thread-safe; build one with {@link #builder()}.
 */
public final class ApplyOptions {
  private final int parallelism;
  private final FailurePolicy failurePolicy;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Journal journal;
  private final List<PostDriverHook> hooks;
  private final java.nio.file.Path hookDirectory;

  private ApplyOptions(Builder b) {
    this.parallelism = b.parallelism;
    this.failurePolicy = b.failurePolicy;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.journal = b.journal;
    this.hooks = List.copyOf(b.hooks);
    this.hookDirectory = b.hookDirectory;
  }

  /**
   * Defaults: parallelism 4, {@link FailurePolicy#STOP}, 3 attempts from 200 ms backoff, no hooks.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The most actions running at once. */
  public int parallelism() {
    return parallelism;
  }

  /** What happens after an action fails. */
  public FailurePolicy failurePolicy() {
    return failurePolicy;
  }

  /** How many times a call is tried when it keeps failing with retryable errors. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the first retry; it doubles each time. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Where applies are journaled for recovery. */
  public Journal journal() {
    return journal;
  }

  /** The embedder's hooks, in registration order. */
  public List<PostDriverHook> hooks() {
    return hooks;
  }

  /** Where operators' command hooks run. */
  public java.nio.file.Path hookDirectory() {
    return hookDirectory;
  }

  /** Builds {@link ApplyOptions}; not thread-safe. */
  public static final class Builder {
    private int parallelism = 4;
    private FailurePolicy failurePolicy = FailurePolicy.STOP;
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Journal journal = Journal.NONE;
    private final List<PostDriverHook> hooks = new ArrayList<>();
    private java.nio.file.Path hookDirectory = java.nio.file.Path.of("").toAbsolutePath();

    private Builder() {}

    /** The most actions running at once; at least 1. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** What happens after an action fails. */
    public Builder failurePolicy(FailurePolicy policy) {
      this.failurePolicy = policy;
      return this;
    }

    /** Attempts per call for retryable errors; at least 1. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the first retry. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = backoff;
      return this;
    }

    /** Where applies are journaled for recovery (default: nowhere). */
    public Builder journal(Journal journal) {
      this.journal = journal;
      return this;
    }

    /** Adds an embedder's post-driver hook. */
    public Builder hook(PostDriverHook hook) {
      hooks.add(hook);
      return this;
    }

    /** Where operators' command hooks run (default: the current directory). */
    public Builder hookDirectory(java.nio.file.Path directory) {
      this.hookDirectory = directory;
      return this;
    }

    /** The options. */
    public ApplyOptions build() {
      return new ApplyOptions(this);
    }
  }
}
