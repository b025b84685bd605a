package com.meterit.sync.core.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether a URL's host is this machine, so that plain http cannot leave it. Only literal
 * loopback addresses ({@code 127.0.0.0/8}, {@code [::1]}) and the name {@code localhost} count:
 * a name that merely starts with {@code 127.} ({@code 127.0.0.1.nip.io}) is anybody's, and no
 * name is looked up.
 */
final class Loopback {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private Loopback() {}

  /** Whether {@code host}, as {@link java.net.URI#getHost()} gives it, is loopback by itself. */
  static boolean isLiteralLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    String literal;
    if (h.startsWith("[") && h.endsWith("]")) {
      literal = h.substring(1, h.length() - 1);
      if (literal.isEmpty() || !literal.chars().allMatch(c -> c == ':' || c == '.'
          || Character.digit(c, 16) >= 0)) {
        return false;
      }
    } else if (IPV4.matcher(h).matches()) {
      literal = h;
    } else {
      return false;
    }
    try {
      // A literal address is parsed, never resolved.
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
