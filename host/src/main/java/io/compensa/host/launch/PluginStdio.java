package io.compensa.host.launch;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.compensa.proto.goplugin.GRPCStdioGrpc;
import io.compensa.proto.goplugin.StdioData;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads go-plugin's {@code plugin.GRPCStdio} stream, which a go-plugin plugin needs read: its Serve
 * turns the plugin's stdout and stderr into pipes that only this stream drains, so a plugin that
 * writes more than a pipe holds after Serve blocks until a host reads it. The host opens the stream
 * as soon as it connects (before Describe) and forwards each line, like the plugin's stderr, to the
 * logger {@code plugin.<name>} ({@link PluginLogSink}, one per channel). A plugin that does not
 * serve the stream answers UNIMPLEMENTED, which is fine; a stream that sends nothing is fine too.
 * The stream ends when the plugin exits or the host closes the channel.
 *
 * <p>Thread-safe: gRPC delivers one call's messages one at a time.
 */
final class PluginStdio implements StreamObserver<StdioData> {
  private final String pluginName;
  private final Lines stdout;
  private final Lines stderr;

  private PluginStdio(String pluginName) {
    this.pluginName = pluginName;
    this.stdout = new Lines(new PluginLogSink(pluginName));
    this.stderr = new Lines(new PluginLogSink(pluginName));
  }

  /** Opens the stream on {@code channel} and forwards what it carries until it ends. */
  static void open(Channel channel, String pluginName) {
    ClientCall<Empty, StdioData> call =
        channel.newCall(GRPCStdioGrpc.getStreamStdioMethod(), CallOptions.DEFAULT);
    ClientCalls.asyncServerStreamingCall(
        call, Empty.getDefaultInstance(), new PluginStdio(pluginName));
  }

  @Override
  public void onNext(StdioData data) {
    (data.getChannel() == StdioData.Channel.STDERR ? stderr : stdout).add(data.getData());
  }

  @Override
  public void onError(Throwable t) {
    flush();
    Status status = Status.fromThrowable(t);
    stdout.sink.debug(
        "plugin {}: GRPCStdio ended with {}{}",
        pluginName,
        status.getCode(),
        status.getCode() == Status.Code.UNIMPLEMENTED ? " (the plugin does not serve it)" : "");
  }

  @Override
  public void onCompleted() {
    flush();
  }

  private void flush() {
    stdout.flush();
    stderr.flush();
  }

  /**
   * Cuts one channel's chunks into lines, each at most {@link BoundedLineReader#DEFAULT_MAX_LINE}.
   */
  private static final class Lines {
    private final PluginLogSink sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Lines(PluginLogSink sink) {
      this.sink = sink;
    }

    void add(ByteString chunk) {
      for (int i = 0; i < chunk.size(); i++) {
        byte b = chunk.byteAt(i);
        if (b == '\n') {
          emit();
        } else {
          pending.write(b);
          if (pending.size() >= BoundedLineReader.DEFAULT_MAX_LINE) {
            emit();
          }
        }
      }
    }

    void flush() {
      if (pending.size() > 0) {
        emit();
      }
    }

    private void emit() {
      String line = pending.toString(StandardCharsets.UTF_8);
      pending.reset();
      sink.log(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
  }
}
