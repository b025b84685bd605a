package com.meterit.sync.examples.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncException;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.core.internal.HumanDuration;
import com.meterit.sync.core.internal.Redaction;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.QuarantinedReading;
import com.meterit.sync.jdbc.SqliteSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's command line in the agent jar: {@code status [--json]},
 * {@code quarantine list [N] [--json]}, {@code quarantine requeue ID...} and
 * {@code quarantine requeue --all}. It reads the Sync Database of the same {@code SYNC_DB_*}
 * variables as the agent, and works while the agent runs (on SQLite, the default, and on
 * PostgreSQL; H2 opens its file in one process at a time).
 *
 * <p>Exit codes: 0 done, 1 the command failed (for example the database is unreachable, or
 * some ids were not quarantined), 2 a usage or configuration error, 3 the Sync Database is
 * damaged, as the agent's.
 */
final class OperatorCommand {
  static final String USAGE = "usage: java -jar meter-sync-agent.jar "
      + "[status [--json] | quarantine list [N] [--json] | quarantine requeue ID... | "
      + "quarantine requeue --all | --version | --help]";
  /** Readings listed by {@code quarantine list} without a number: {@value}. */
  static final int DEFAULT_LIST_LIMIT = 20;
  private static final String DAMAGED = "the Sync Database is damaged: ";
  private static final String NO_DATABASE =
      "there is no Sync Database at SYNC_DB_URL; is it the agent's?";
  /** Runs shown by {@code status}: {@value}; a line of folded idle runs counts as one. */
  static final int RECENT_RUNS = 5;
  /** The most runs {@code status} reads to fill its lines when idle runs fold: {@value}. */
  static final int RUNS_READ_FOR_FOLDING = 500;

  /** The longest stranger's value printed in a human-readable line: {@value} characters. */
  static final int MAX_SHOWN = 1000;

  /**
   * Strings escape every character outside ASCII, so that C1 controls and line separators a row
   * or a server put in a value reach the terminal as JSON escapes, not as themselves.
   */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  OperatorCommand(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Runs {@code args}; returns the exit code. */
  int run(List<String> args) {
    List<String> words = new ArrayList<>(args);
    boolean json = words.remove("--json");
    try {
      if (words.equals(List.of("status"))) {
        return withSource(source -> status(source, json));
      }
      if (words.size() >= 2 && words.get(0).equals("quarantine") && words.get(1).equals("list")
          && words.size() <= 3) {
        int limit = words.size() == 3 ? (int) number(words.get(2), 1, 10_000) : DEFAULT_LIST_LIMIT;
        return withSource(source -> list(source, limit, json));
      }
      if (words.size() >= 3 && words.get(0).equals("quarantine") && words.get(1).equals("requeue")
          && !json) {
        List<String> ids = words.subList(2, words.size());
        if (ids.equals(List.of("--all"))) {
          return withSource(this::requeueAll);
        }
        List<Long> parsed = new ArrayList<>();
        for (String id : ids) {
          parsed.add(number(id, 1, Long.MAX_VALUE));
        }
        return withSource(source -> requeue(source, parsed));
      }
    } catch (IllegalArgumentException e) {
      return fail(SyncAgent.EXIT_CONFIGURATION, e.getMessage() + "\n" + USAGE);
    }
    return fail(SyncAgent.EXIT_CONFIGURATION, USAGE);
  }

  private interface Command {
    int run(JdbcReadingSource source) throws JsonProcessingException;
  }

  private int withSource(Command command) {
    String url;
    Map<String, String> variables = new HashMap<>(env);
    try {
      url = embeddedMustExist(SyncDatabase.url(env));
      variables.put(JdbcReadingSource.SYNC_DB_URL, url);
      Path sqlite = SqliteSettings.fileOf(url);
      if (sqlite != null && !Files.exists(sqlite)) {
        return fail(SyncAgent.EXIT_FAILURE, NO_DATABASE);
      }
      SyncDatabase.probe(url, variables);
    } catch (ConfigurationException e) {
      return fail(SyncAgent.EXIT_CONFIGURATION, e.getMessage());
    } catch (SQLException e) {
      // The agent's own codes: a damaged database is 3 for a supervisor or a script alike.
      return DatabaseWait.damaged(e)
          ? fail(SyncAgent.EXIT_DATABASE, DAMAGED + DatabaseWait.reason(e))
          : fail(SyncAgent.EXIT_FAILURE, unreachable(e));
    }
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(variables)) {
      return command.run(source);
    } catch (SyncException e) {
      return ReadingSourceException.faultOf(e) == StoreFault.DAMAGED
          ? fail(SyncAgent.EXIT_DATABASE, DAMAGED + e.getMessage())
          : fail(SyncAgent.EXIT_FAILURE, e.getMessage());
    } catch (JsonProcessingException e) {
      return fail(SyncAgent.EXIT_FAILURE, e.getMessage());
    }
  }

  /** An embedded file that is not there is a wrong URL, not a new database to create. */
  private static String embeddedMustExist(String url) {
    return H2Files.fileOf(url) != null && !url.toUpperCase(Locale.ROOT).contains("IFEXISTS=")
        ? url + ";IFEXISTS=TRUE" : url;
  }

  private static String unreachable(SQLException e) {
    if ("90020".equals(e.getSQLState())) {
      return "the H2 file is open in another process, such as the running agent: H2 opens a "
          + "file in one process at a time; run the command while the agent is stopped, or use "
          + "SQLite, the default, which the agent shares";
    }
    if ("90146".equals(e.getSQLState())) {
      return NO_DATABASE;
    }
    return "the Sync Database is not reachable: " + DatabaseWait.reason(e);
  }

  private int status(JdbcReadingSource source, boolean json) throws JsonProcessingException {
    Instant now = clock.instant();
    long pending = source.pendingCount();
    Optional<Instant> oldest = source.oldestPendingTimestamp();
    long quarantined = source.quarantinedCount();
    SyncStats day = source.history().summarize(now.minus(Duration.ofHours(24)), now);
    long interrupted = day.runs() - day.successes() - day.failures();
    if (json) {
      List<SyncRun> runs = source.history().recentRuns(RECENT_RUNS);
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("pending", pending);
      status.put("oldestPendingReadAt", oldest.map(Instant::toString).orElse(null));
      status.put("lagSeconds", oldest.map(o -> Duration.between(o, now).toSeconds()).orElse(null));
      status.put("quarantined", quarantined);
      Map<String, Object> last24h = new LinkedHashMap<>();
      last24h.put("runs", day.runs());
      last24h.put("succeeded", day.successes());
      last24h.put("failed", day.failures());
      last24h.put("interrupted", interrupted);
      last24h.put("readingsSynced", day.readingsSynced());
      last24h.put("readingsRejected", day.readingsRejected());
      last24h.put("lastSuccessAt", day.lastSuccessAt().map(Instant::toString).orElse(null));
      status.put("last24h", last24h);
      List<Map<String, Object>> recent = new ArrayList<>();
      for (SyncRun run : runs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("startedAt", run.startedAt().toString());
        r.put("outcome", run.outcome().name());
        r.put("readingsSynced", run.readingsSynced());
        r.put("readingsRejected", run.readingsRejected());
        r.put("durationMillis", run.duration().toMillis());
        r.put("error", run.error().orElse(null));
        recent.add(r);
      }
      status.put("recentRuns", recent);
      out.println(JSON.writeValueAsString(status));
      return SyncAgent.EXIT_OK;
    }
    out.println("pending:       " + pending + " readings" + oldest.map(o -> ", the oldest read at "
        + o + " (lag " + HumanDuration.of(Duration.between(o, now)) + ")").orElse(""));
    out.println("quarantined:   " + quarantined + " readings"
        + (quarantined > 0 ? " (see: quarantine list)" : ""));
    out.println("last 24 hours: " + day.readingsSynced() + " readings synced, "
        + day.readingsRejected() + " rejected, in " + day.runs() + " runs (" + day.successes()
        + " succeeded, " + day.failures() + " failed, " + interrupted + " interrupted)"
        + day.lastSuccessAt().map(t -> "; last success " + t).orElse(""));
    List<String> lines = runLines(source.history().recentRuns(RUNS_READ_FOR_FOLDING), RECENT_RUNS);
    out.println("last runs:" + (lines.isEmpty() ? " none recorded" : ""));
    lines.forEach(out::println);
    return SyncAgent.EXIT_OK;
  }

  /**
   * At most {@code max} lines for the runs, newest first, each consecutive stretch of idle runs
   * folded into one line: at a short interval they would otherwise hide the runs that did work.
   */
  static List<String> runLines(List<SyncRun> newestFirst, int max) {
    List<String> lines = new ArrayList<>();
    int i = 0;
    while (i < newestFirst.size() && lines.size() < max) {
      SyncRun run = newestFirst.get(i);
      int end = i;
      while (end + 1 < newestFirst.size() && isIdle(run) && isIdle(newestFirst.get(end + 1))) {
        end++;
      }
      if (end > i) {
        lines.add("  " + run.startedAt() + "  " + (end - i + 1) + " idle runs since "
            + newestFirst.get(end).startedAt() + ", nothing to sync");
      } else {
        lines.add("  " + run.startedAt() + "  " + String.format(Locale.ROOT, "%-11s",
            run.outcome()) + " synced=" + run.readingsSynced() + " rejected="
            + run.readingsRejected() + " in " + HumanDuration.of(run.duration())
            + run.error().map(e -> " | " + shown(e)).orElse(""));
      }
      i = end + 1;
    }
    return lines;
  }

  /** A run that found nothing to do: it succeeded, moved nothing and has nothing to say. */
  private static boolean isIdle(SyncRun run) {
    return run.outcome() == SyncOutcome.SUCCEEDED && run.readingsSynced() == 0
        && run.readingsRejected() == 0 && run.error().isEmpty();
  }

  private int list(JdbcReadingSource source, int limit, boolean json) throws JsonProcessingException {
    List<QuarantinedReading> readings = source.listQuarantined(limit);
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (QuarantinedReading q : readings) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", q.id());
        row.put("meterId", q.meterId().orElse(null));
        row.put("readAt", q.readAtInstant().map(Instant::toString).orElse(null));
        row.put("readAtAsStored", q.readAt().orElse(null));
        row.put("value", q.value().orElse(null));
        row.put("unit", q.unit().orElse(null));
        row.put("attempts", q.attempts());
        row.put("reason", q.reason());
        rows.add(row);
      }
      out.println(JSON.writeValueAsString(rows));
      return SyncAgent.EXIT_OK;
    }
    if (readings.isEmpty()) {
      out.println("no quarantined readings");
      return SyncAgent.EXIT_OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"id", "meter", "read at", "value", "unit", "reason"});
    for (QuarantinedReading q : readings) {
      rows.add(new String[] {String.valueOf(q.id()), shown(q.meterId().orElse("-")),
          q.readAtInstant().map(Instant::toString).orElseGet(() -> shown(q.readAt().orElse("-"))), shown(q.value().orElse("-")),
          shown(q.unit().orElse("-")), shown(q.reason())});
    }
    table(rows).forEach(out::println);
    return SyncAgent.EXIT_OK;
  }

  /**
   * Rows as lines whose columns are each as wide as their widest cell, as printed (escaped), with
   * one space between; the last column is not padded.
   */
  static List<String> table(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length - 1; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 1));
      }
      lines.add(line.append(row[row.length - 1]).toString());
    }
    return lines;
  }

  private int requeue(JdbcReadingSource source, List<Long> ids) {
    int requeued = source.requeueQuarantined(ids);
    out.println("re-queued " + requeued + " of " + ids.size() + " readings"
        + (requeued < ids.size() ? "; the others are not quarantined" : ""));
    return requeued == ids.size() ? SyncAgent.EXIT_OK : SyncAgent.EXIT_FAILURE;
  }

  private int requeueAll(JdbcReadingSource source) {
    out.println("re-queued " + source.requeueAllQuarantined() + " readings");
    return SyncAgent.EXIT_OK;
  }

  private static long number(String text, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number: '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected a number from " + min + " to " + max + ": " + value);
    }
    return value;
  }

  /**
   * A value a stranger wrote (a collector's row, a server's answer in the history) as it may be
   * printed to a terminal: control characters escaped, bearer tokens masked, bounded.
   */
  private static String shown(String value) {
    return Redaction.untrusted(value, MAX_SHOWN);
  }

  private int fail(int code, String message) {
    err.println("meter-sync-agent: " + message);
    return code;
  }
}
