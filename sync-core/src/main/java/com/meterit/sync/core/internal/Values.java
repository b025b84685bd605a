package com.meterit.sync.core.internal;

/**
 * Checks of values that go on the wire: what may be sent in an HTTP header, what may be a path
 * segment. Each answers with the problem in words that never quote the value, or null.
 *
 * <p>Not public API: it is public only so that {@code SyncConfig} can check the environment
 * with the same rules as the gateway's builder.
 */
public final class Values {
  private Values() {}

  /**
   * Why {@code value} cannot be sent as a credential in an HTTP header, or null when it can. Only
   * printable ASCII without spaces is allowed: the JDK refuses control and non-Latin-1 characters
   * with a message that quotes the value, and servers differ on the rest.
   */
  public static String unsendable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "holds a character that cannot be sent in an HTTP header ("
            + String.format("U+%04X", (int) c) + " at position " + (i + 1)
            + "); only printable ASCII without spaces is allowed";
      }
    }
    return null;
  }

  /**
   * Why {@code gatewayId} cannot be one path segment of {@code /v1/gateways/{gatewayId}/...},
   * or null when it can. Every other character is percent-encoded; a dot segment would move the
   * call to another path however it is encoded, because servers decode before they normalize.
   */
  public static String notOnePathSegment(String gatewayId) {
    if (gatewayId.equals(".") || gatewayId.equals("..")) {
      return "must be an id, not the path segment '" + gatewayId + "'";
    }
    for (int i = 0; i < gatewayId.length(); i++) {
      if (Character.isISOControl(gatewayId.charAt(i))) {
        return "holds a control character at position " + (i + 1);
      }
    }
    return null;
  }
}
