package io.compensa.samples.localapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The tiny web app a {@code localapp_app} runs: {@code GET /} answers {@code "<app> <version>"},
 * {@code GET /health} answers 200 {@code ok}, or 503 when the app was started with {@code --health
 * fail} (a version whose health check fails). It listens on a free port of 127.0.0.1, announces
 * itself in the registry, and on SIGTERM finishes its requests (up to a second) and exits.
 *
 * <p>Usage: {@code WebApp --registry DIR --id ID --app NAME --version V [--health ok|fail]}
 */
public final class WebApp {
  private WebApp() {}

  /**
   * Runs the app until it is stopped.
   *
   * @param args the options above
   * @throws IOException when it cannot listen or announce itself
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = options(args);
    Registry registry = new Registry(Path.of(options.get("--registry")));
    String id = options.get("--id");
    String app = options.get("--app");
    String version = options.get("--version");
    boolean healthy = !"fail".equals(options.getOrDefault("--health", "ok"));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext(
        "/health",
        exchange ->
            answer(
                exchange,
                healthy ? 200 : 503,
                healthy ? "ok\n" : app + " " + version + " is unhealthy\n"));
    server.createContext("/", exchange -> answer(exchange, 200, app + " " + version + "\n"));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    Files.createDirectories(registry.appFile(id).getParent());
    Registry.announce(registry.appFile(id), id, app, version, server.getAddress().getPort());
  }

  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }
}
