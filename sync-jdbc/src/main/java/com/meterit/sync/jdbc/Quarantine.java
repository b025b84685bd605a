package com.meterit.sync.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The operator's side of quarantine: listing quarantined rows, bounded like every read of the
 * table, and putting them back in the queue. Thread-safe.
 */
final class Quarantine {
  private final Jdbc jdbc;
  private final Statements sql;
  private final RowReader rows;
  private final QueueGuard queue;
  private final String notJournaled;

  Quarantine(Jdbc jdbc, Statements sql, RowReader rows, QueueGuard queue, String notJournaled) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.rows = rows;
    this.queue = queue;
    this.notJournaled = notJournaled;
  }

  List<QuarantinedReading> list(int limit) {
    return jdbc.inTransaction("listing quarantined readings", c -> {
      List<QuarantinedReading> list = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement(sql.listQuarantined(rows))) {
        select.setInt(1, limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            String readAt = listed(rs, 4, Statements.LISTED_LENGTH);
            list.add(new QuarantinedReading(rs.getLong(1), listed(rs, 2, Statements.LISTED_LENGTH),
                readAt, rows.listedTimestamp(readAt), listed(rs, 6, Statements.LISTED_LENGTH),
                listed(rs, 8, Statements.LISTED_LENGTH), listed(rs, 10, Statements.LISTED_LENGTH),
                listed(rs, 12, Statements.LISTED_REASON_LENGTH), rs.getInt(14)));
          }
        }
      }
      return list;
    });
  }

  /** A bounded column: its prefix, and its length when that is longer than shown. */
  private static String listed(ResultSet rs, int column, int limit) throws SQLException {
    String text = rs.getString(column);
    long length = rs.getLong(column + 1);
    if (text == null || (length <= limit && text.length() <= limit)) {
      return text;
    }
    return text.substring(0, Math.min(limit, text.length())) + "... (" + length + " characters)";
  }

  long count() {
    return jdbc.inTransaction("counting quarantined readings", c -> {
      try (PreparedStatement count = c.prepareStatement(sql.count(Statements.QUARANTINED))) {
        count.setLong(1, 0);
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  int requeue(Collection<Long> readingIds) {
    if (readingIds.isEmpty()) {
      return 0;
    }
    int count = jdbc.inTransaction("re-queuing quarantined readings", c -> {
      int requeued = 0;
      try (PreparedStatement update = c.prepareStatement(sql.requeue(notJournaled))) {
        for (long id : readingIds) {
          update.setLong(1, id);
          requeued += update.executeUpdate();
        }
      }
      return requeued;
    });
    if (count > 0) {
      queue.requeued(Collections.min(readingIds));
    }
    return count;
  }

  int requeueAll() {
    int count = jdbc.inTransaction("re-queuing quarantined readings", c -> {
      try (Statement s = c.createStatement()) {
        return s.executeUpdate(sql.requeueAll(notJournaled));
      }
    });
    if (count > 0) {
      queue.requeued(0);
    }
    return count;
  }
}
