package com.meterit.sync.api;

import java.util.Objects;

/**
 * A setting is missing or invalid: an environment variable, a builder value or a downloaded
 * configuration. The message names the setting; the value is included unless it is a secret.
 */
public class ConfigurationException extends SyncException {
  private static final long serialVersionUID = 1L;

  /** The offending setting's name. */
  private final String setting;

  /**
   * @param setting the name of the offending setting, such as {@code BATCH_SIZE}
   * @param message what is wrong with it, starting with its name
   */
  public ConfigurationException(String setting, String message) {
    super(message);
    this.setting = Objects.requireNonNull(setting, "setting");
  }

  /** The name of the offending setting. */
  public String setting() {
    return setting;
  }
}
