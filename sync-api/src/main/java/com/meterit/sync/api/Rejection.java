package com.meterit.sync.api;

import java.util.Objects;

/**
 * A reading that was refused for good, with the reason. Immutable and thread-safe.
 *
 * <p>The reason comes from the server and is stored and logged, so it is kept on one line:
 * control characters, line and paragraph separators and invisible format characters (such as
 * bidi overrides) are escaped as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX},
 * and the result is cut to {@link #MAX_REASON_LENGTH}. Masking secrets is the gateway's job,
 * since only it knows them.
 */
public final class Rejection {
  /** Reasons longer than this are cut, so a verbose server cannot bloat the queue: {@value}. */
  public static final int MAX_REASON_LENGTH = 500;

  private final long readingId;
  private final String reason;

  /**
   * @param readingId the local id of the refused reading
   * @param reason why it was refused; escaped, then cut to {@link #MAX_REASON_LENGTH} characters
   */
  public Rejection(long readingId, String reason) {
    Objects.requireNonNull(reason, "reason");
    this.readingId = readingId;
    this.reason = cut(escape(reason));
  }

  private static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
          : Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
              || Character.getType(c) == Character.FORMAT ? String.format("\\u%04X", (int) c)
          : null;
      if (escaped != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escaped != null) {
          out.append(escaped);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String cut(String text) {
    if (text.length() <= MAX_REASON_LENGTH) {
      return text;
    }
    int end = MAX_REASON_LENGTH;
    // Never leave half a surrogate pair behind.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** The local id of the refused reading. */
  public long readingId() {
    return readingId;
  }

  /** Why it was refused, on one line and at most {@link #MAX_REASON_LENGTH} characters. */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rejection
        && ((Rejection) o).readingId == readingId
        && ((Rejection) o).reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(readingId) * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return "Rejection{readingId=" + readingId + ", reason=" + reason + '}';
  }
}
