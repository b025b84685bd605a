package com.meterit.sync.examples.agent;

import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.TrustMode;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every environment variable the agent reads, with its default, in one list: {@code --help}
 * prints it and the environment-file template of the release is rendered from it. The names and
 * the defaults come from the libraries' own constants, so a changed default changes here too;
 * tests check that every variable constant of {@link SyncConfig} and {@link JdbcReadingSource}
 * is listed, that the README's configuration table agrees, and that the shipped template is this
 * list's.
 */
final class AgentVariables {
  /** The default of a variable that must be set. */
  static final String REQUIRED = "required";
  /** The default of a variable whose absence turns its feature off. */
  static final String NONE = "none";

  /** One variable: its name, its default as an operator reads it, and what it means. */
  static final class Variable {
    final String name;
    final String defaultValue;
    final String meaning;

    Variable(String name, String defaultValue, String meaning) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.meaning = meaning;
    }

    boolean required() {
      return defaultValue.equals(REQUIRED);
    }
  }

  /** In the README's order. */
  static final List<Variable> ALL = List.of(
      new Variable(SyncConfig.CLIENT_API_URL, REQUIRED, "base URL of the Client System API"),
      new Variable(SyncConfig.CLIENT_API_KEY, REQUIRED + ", or " + SyncConfig.CLIENT_API_KEY_FILE,
          "this gateway's API key; never logged"),
      new Variable(SyncConfig.CLIENT_API_KEY_FILE, NONE, "a file holding the API key (a systemd "
          + "credential), one line, mode 0600; not with " + SyncConfig.CLIENT_API_KEY),
      new Variable(SyncConfig.GATEWAY_ID, REQUIRED, "names this gateway to the Client System"),
      new Variable(SyncConfig.SYNC_INTERVAL_MINUTES,
          minutes(SyncManager.DEFAULT_SYNC_INTERVAL),
          "minutes between scheduled runs (decimals allowed)"),
      new Variable(SyncConfig.BATCH_SIZE, String.valueOf(SyncManager.DEFAULT_BATCH_SIZE),
          "readings per upload, 1 to 100,000"),
      new Variable(SyncConfig.MAX_RETRIES, String.valueOf(SyncManager.DEFAULT_MAX_RETRIES),
          "retries of a transient failure within a run, 0 to 100"),
      new Variable(SyncConfig.HEARTBEAT_INTERVAL_SECONDS,
          String.valueOf(SyncManager.DEFAULT_HEARTBEAT_INTERVAL.toSeconds()),
          "seconds between heartbeats, 5 to 86,400"),
      new Variable(SyncConfig.MAX_IN_FLIGHT, "none: the engine's own ceiling",
          "the most batches in flight at once, 1 to 64; a cap for a fleet sharing one server"),
      new Variable(JdbcReadingSource.SYNC_DB_URL, JdbcReadingSource.DEFAULT_DB_URL,
          "JDBC URL of the Sync Database (SQLite, H2 or PostgreSQL)"),
      new Variable(JdbcReadingSource.SYNC_DB_USER, NONE, "database user"),
      new Variable(JdbcReadingSource.SYNC_DB_PASSWORD, NONE, "database password; never logged"),
      new Variable(JdbcReadingSource.SYNC_WORKER_ID, "HOSTNAME, else the machine's host name",
          "owner of this process's leases, at most "
              + JdbcReadingSource.MAX_WORKER_ID_LENGTH + " characters"),
      new Variable(JdbcReadingSource.SYNC_LEASE_SECONDS,
          String.valueOf(JdbcReadingSource.DEFAULT_LEASE.toSeconds()),
          "seconds a batch stays held without renewal, 5 to 86,400"),
      new Variable(JdbcReadingSource.SYNC_READ_AT_UNIT, NONE,
          "unit of times written as a bare number: seconds, millis, micros or nanos"),
      new Variable(SyncConfig.CLIENT_API_ALLOW_INSECURE_HTTP, String.valueOf(false),
          "true allows plain http to a host other than loopback"),
      new Variable(SyncConfig.CLIENT_API_CA_FILE, NONE,
          "a PEM file of CA certificates to trust, at most 64 KiB"),
      new Variable(SyncConfig.CLIENT_API_CA_MODE, lower(TrustMode.ADD),
          "add trusts the CA file as well as the JVM's CAs; replace trusts it alone"),
      new Variable(SyncConfig.CLIENT_API_CERT_FILE, NONE,
          "a PEM client certificate chain, leaf first"),
      new Variable(SyncConfig.CLIENT_API_CERT_KEY_FILE, NONE,
          "that certificate's private key: unencrypted PKCS#8 PEM, readable by the agent only"),
      new Variable(AgentLogging.LOG_LEVEL, AgentLogging.DEFAULT_LOG_LEVEL,
          "trace, debug, info, warn, error or off"));

  private AgentVariables() {}

  /** The text of {@code --help}. */
  static String help(String versionLine) {
    StringBuilder text = new StringBuilder();
    text.append(versionLine).append('\n')
        .append("Syncs meter readings from the Sync Database to the Client System until SIGTERM.\n")
        .append('\n')
        .append("usage: meter-sync-agent                                run the agent\n")
        .append("       meter-sync-agent status [--json]                the queue, the last runs\n")
        .append("       meter-sync-agent quarantine list [N] [--json]   quarantined readings\n")
        .append("       meter-sync-agent quarantine requeue ID...|--all\n")
        .append("       meter-sync-agent --version | --help\n")
        .append("(or java -jar meter-sync-agent.jar with the same arguments)\n")
        .append('\n')
        .append("Configured by the environment only:\n");
    for (Variable v : ALL) {
      text.append(String.format(Locale.ROOT, "  %-32s %s%n  %-32s default: %s%n",
          v.name, v.meaning, "", v.defaultValue));
    }
    text.append('\n')
        .append("Exit codes: 0 stopped on request; 1 failure, restart; 2 bad configuration, fix it;\n")
        .append("3 the Sync Database cannot be used, look before restarting.\n");
    return text.toString();
  }

  /**
   * The environment-file template of the release: every variable, the required ones to fill
   * in, the others commented out at their default.
   */
  static String envTemplate() {
    StringBuilder text = new StringBuilder();
    text.append("# meter-sync agent settings, for systemd's EnvironmentFile= (as\n")
        .append("# /etc/meter-sync/agent.env). Rendered from the agent's own list, which\n")
        .append("# `meter-sync-agent --help` prints too. Fill in the required ones; a line\n")
        .append("# left commented keeps its default. The unit passes the API key as a credential\n")
        .append("# (CLIENT_API_KEY_FILE): never write the key itself here.\n");
    for (Variable v : ALL) {
      text.append('\n').append("# ").append(v.meaning).append(". Default: ")
          .append(v.defaultValue).append('\n');
      if (v.required()) {
        text.append(v.name).append("=\n");
      } else {
        boolean value = !v.defaultValue.equals(NONE) && !v.defaultValue.contains(" ");
        text.append('#').append(v.name).append('=').append(value ? v.defaultValue : "")
            .append('\n');
      }
    }
    return text.toString();
  }

  private static String minutes(Duration duration) {
    return BigDecimal.valueOf(duration.toSeconds()).divide(BigDecimal.valueOf(60), 3, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
