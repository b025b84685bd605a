package com.meterit.sync.core;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncListener;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings in force, and the configurations the server sends to change them. A downloaded
 * configuration is validated whole and swapped in as one immutable {@link RunSettings}, so a run
 * never sees half of one; an out-of-range one is refused whole, and its version is not downloaded
 * again until the server announces another. Thread-safe.
 */
final class LiveSettings {
  private static final Logger log = LoggerFactory.getLogger(LiveSettings.class);

  private final ClientSystemGateway gateway;
  private final SyncListener listeners;
  private final BiConsumer<RunSettings, RunSettings> onApplied;
  private volatile RunSettings settings;
  // Guarded by this.
  private String refusedVersion;

  /**
   * @param onApplied told of each applied change, with the previous and the new settings, after
   *     the swap and before the listeners
   */
  LiveSettings(ClientSystemGateway gateway, RunSettings initial, SyncListener listeners,
      BiConsumer<RunSettings, RunSettings> onApplied) {
    this.gateway = gateway;
    this.settings = initial;
    this.listeners = listeners;
    this.onApplied = onApplied;
  }

  /** The settings in force. */
  RunSettings current() {
    return settings;
  }

  /**
   * Whether the server's announced version is worth a download: neither the one in force nor
   * one already refused.
   */
  synchronized boolean wantsDownload(String serverVersion) {
    return !serverVersion.equals(settings.configVersion) && !serverVersion.equals(refusedVersion);
  }

  /** Downloads the configuration and applies it if it is new and within bounds. */
  ConfigUpdate download() {
    Optional<RemoteConfig> downloaded = gateway.downloadConfig();
    return downloaded.isEmpty() ? ConfigUpdate.UNCHANGED : apply(downloaded.get());
  }

  private ConfigUpdate apply(RemoteConfig config) {
    RunSettings previous;
    RunSettings next;
    synchronized (this) {
      previous = settings;
      try {
        next = previous.with(config);
      } catch (IllegalArgumentException | NullPointerException e) {
        refusedVersion = config.version();
        log.warn("Refused remote configuration {}: {}", config.version(), e.getMessage());
        listeners.onConfigurationRefused(config, e.getMessage());
        return ConfigUpdate.REFUSED;
      }
      refusedVersion = null;
      settings = next;
    }
    log.info("Applied remote configuration: {}", next);
    onApplied.accept(previous, next);
    listeners.onConfigurationApplied(config);
    return ConfigUpdate.APPLIED;
  }
}
