package io.compensa.samples.localapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The front users hit: a small HTTP proxy on 127.0.0.1 that forwards each GET to the app its route
 * file names, read afresh for every request, so a route change takes the next request without a
 * restart. A request whose app refuses the connection (stopped just after the route moved on) is
 * tried once more against the route as it is then. Answers 502 when no app answers.
 *
 * <p>Usage: {@code Front --registry DIR --name NAME [--port P]} (port 0, the default, is a free
 * one)
 */
public final class Front {
  private Front() {}

  /**
   * Runs the front until it is stopped.
   *
   * @param args the options above
   * @throws IOException when it cannot listen or announce itself
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = WebApp.options(args);
    Registry registry = new Registry(Path.of(options.get("--registry")));
    String name = options.get("--name");
    int port = Integer.parseInt(options.getOrDefault("--port", "0"));
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.createContext("/", exchange -> forward(exchange, registry, name, client));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    Registry.announce(registry.frontFile(name), name, "front", "", server.getAddress().getPort());
  }

  private static void forward(
      HttpExchange exchange, Registry registry, String name, HttpClient client) throws IOException {
    String path = exchange.getRequestURI().toString();
    IOException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Registry.Route> route = registry.route(name);
      if (route.isEmpty()) {
        WebApp.answer(exchange, 502, "front " + name + " has no route\n");
        return;
      }
      try {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(URI.create(route.get().target() + path))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        WebApp.answer(exchange, answer.statusCode(), answer.body());
        return;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    WebApp.answer(
        exchange, 502, "front " + name + ": no app answered: " + (last == null ? "" : last) + "\n");
  }
}
