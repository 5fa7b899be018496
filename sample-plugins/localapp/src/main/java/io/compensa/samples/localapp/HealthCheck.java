package io.compensa.samples.localapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A command hook for {@code localapp_app}: requests the new app's {@code /health} (its URL comes
 * from the host in {@code COMPENSA_OUTPUT_URL}, or as the first argument) and exits 0 on 200, 1
 * otherwise, printing what it got. Declared in the desired resources as {@code "hooks":
 * [{"command": ["java", "-cp", "<plugin jar>", "io.compensa.samples.localapp.HealthCheck"]}]}.
 */
public final class HealthCheck {
  private HealthCheck() {}

  /**
   * Checks the app's health.
   *
   * @param args optionally the app's URL
   * @throws InterruptedException when interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    String url = args.length > 0 ? args[0] : System.getenv("COMPENSA_OUTPUT_URL");
    if (url == null || url.isBlank()) {
      System.out.println("health check: no URL: run it as a hook of a localapp_app");
      System.exit(2);
    }
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/health"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      System.out.println(
          "health check of " + url + ": " + answer.statusCode() + " " + answer.body().strip());
      System.exit(answer.statusCode() == 200 ? 0 : 1);
    } catch (IOException e) {
      System.out.println("health check of " + url + ": no answer: " + e);
      System.exit(1);
    }
  }
}
