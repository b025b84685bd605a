package com.meterit.sync.jdbc;

import com.meterit.sync.api.SyncException;

/** The DataSource leads to a database that meter-sync cannot use as its queue. */
public final class UnsupportedDatabaseException extends SyncException {
  private static final long serialVersionUID = 1L;

  UnsupportedDatabaseException(String message) {
    super(message);
  }
}
