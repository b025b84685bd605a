package com.meterit.sync.core;

/** What {@link SyncManager#downloadConfiguration()} did with the server's configuration. */
public enum ConfigUpdate {
  /** A new configuration was validated and is now in force. */
  APPLIED,
  /** The server's configuration had not changed. */
  UNCHANGED,
  /** The configuration was out of range and refused; the previous one stays in force. */
  REFUSED
}
