package com.meterit.sync.examples;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import java.util.Map;

/** The agent's HTTP gateway, from the configuration and {@code CLIENT_API_ALLOW_INSECURE_HTTP}. */
final class AgentGateway {
  private AgentGateway() {}

  static HttpClientSystemGateway create(SyncConfig config, Map<String, String> env) {
    String insecure = env.getOrDefault(SyncAgent.CLIENT_API_ALLOW_INSECURE_HTTP, "false").trim();
    if (!insecure.equals("true") && !insecure.equals("false")) {
      throw new ConfigurationException(SyncAgent.CLIENT_API_ALLOW_INSECURE_HTTP,
          SyncAgent.CLIENT_API_ALLOW_INSECURE_HTTP + " must be true or false: '" + insecure + "'");
    }
    try {
      return HttpClientSystemGateway.builder(config.clientApiUrl(), config.apiKey(), config.gatewayId())
          .setAllowInsecureHttp(Boolean.parseBoolean(insecure))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(SyncConfig.CLIENT_API_URL,
          SyncConfig.CLIENT_API_URL + ": " + e.getMessage());
    }
  }
}
