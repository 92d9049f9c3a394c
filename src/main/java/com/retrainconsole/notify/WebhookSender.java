package com.retrainconsole.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** POSTs a JSON body; 5 s to connect and 5 s for the answer, so a hung receiver costs one worker 10 s at most. */
public final class WebhookSender {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient client;

  public WebhookSender() {
    // decision: no redirects: a 3xx from a webhook endpoint is a misconfiguration, reported as the status
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The HTTP status; throws IOException when no answer came (refused, timed out, reset). */
  public int post(String url, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "retrain-console-webhook")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
