package com.meterit.sync.core.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where text from outside (a server's answer, a JDK or driver exception message, a
 * configured URL) is made safe before it reaches a log line, an exception message or a stored
 * reason: known secrets are masked, credentials in URLs are masked, control characters are
 * escaped so that one event stays one line, and the result is bounded. Masking always runs before
 * cutting, so that a secret that straddles the cut cannot leak by halves.
 *
 * <p>An instance knows the API key and the last few tokens the server issued (also ones it
 * refused, since a server may echo those too). Thread-safe.
 *
 * <p>Text that carries a bearer credential ({@code Bearer} and a token) has the token masked
 * even when it is no token this gateway was issued: a server may echo another client's.
 *
 * <p>Not public API: it is public so that the engine, {@code SyncConfig} and the agent's operator
 * commands use this one path for text from outside.
 */
public final class Redaction {
  /** What a masked secret is replaced with: {@value}. */
  public static final String MASK = "****";

  /** Tokens remembered for masking; a server may echo an old one after a refresh: {@value}. */
  static final int REMEMBERED_TOKENS = 8;

  /**
   * {@code Bearer} and the token after it, the space perhaps written as a JSON escape; the token
   * is what RFC 6750 allows in one. Only the token is masked, so the text still says what it was.
   */
  private static final Pattern BEARER = Pattern.compile(
      "(?i)\\b(bearer)(?:\\s|\\\\[tnr]|\\\\u0020)+[A-Za-z0-9._~+/-]+=*");

  private final List<String> keyForms;
  // Each remembered token with the forms it may be echoed in; newest first.
  private final Deque<List<String>> tokenForms = new ArrayDeque<>(); // guarded by this
  private final Set<String> tokens = new HashSet<>(); // guarded by this

  /** Masks {@code apiKey} and every token later passed to {@link #addToken}. */
  public Redaction(String apiKey) {
    this.keyForms = forms(Objects.requireNonNull(apiKey, "apiKey"));
  }

  /** Remembers a token the server issued, usable or not, so that it is masked from now on. */
  public synchronized void addToken(String token) {
    if (token == null || token.isEmpty() || !tokens.add(token)) {
      return;
    }
    if (tokenForms.size() == REMEMBERED_TOKENS) {
      tokens.remove(tokenForms.removeLast().get(0));
    }
    tokenForms.addFirst(forms(token));
  }

  /**
   * The text with every known secret masked, raw or as JSON would escape it, and every bearer
   * credential masked; null stays null.
   */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<List<String>> secrets = new ArrayList<>();
    secrets.add(keyForms);
    synchronized (this) {
      secrets.addAll(tokenForms);
    }
    String masked = text;
    for (List<String> forms : secrets) {
      for (String form : forms) {
        masked = form.isEmpty() ? masked : masked.replace(form, MASK);
      }
    }
    return maskBearer(masked);
  }

  private static String maskBearer(String text) {
    return BEARER.matcher(text).replaceAll("$1 " + MASK);
  }

  /**
   * Text from outside fit for a log line, an exception message or a terminal where no secret of
   * this gateway is known (a server's batch id in the engine, a database row in the operator's
   * commands): bearer credentials masked, control characters escaped, cut to {@code maxLength}
   * characters. A megabyte costs no more than {@code maxLength}: escaping only lengthens, so the
   * text is cut before. Null stays null.
   */
  public static String untrusted(String text, int maxLength) {
    if (text == null) {
      return null;
    }
    // A little past the cut, so that "..." still marks it, and a token cut in half is masked.
    String head = text.length() > maxLength + 1 ? text.substring(0, maxLength + 1) : text;
    return bounded(escape(maskBearer(head)), maxLength);
  }

  /**
   * The secret as sent, then the ways a server echoing it inside JSON may escape it: the raw
   * form first, so that it is what {@link #addToken} dedups on.
   */
  private static List<String> forms(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
    forms.add(json);
    for (String format : List.of("\\u%04x", "\\u%04X")) {
      forms.add(unicodeEscaped(secret, format));
      forms.add(unicodeEscaped(json, format));
    }
    return List.copyOf(forms);
  }

  /** The secret with every character outside printable ASCII written as a JSON escape. */
  private static String unicodeEscaped(String secret, String format) {
    StringBuilder out = new StringBuilder(secret.length() + 16);
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format(format, (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Text fit for a log line or an exception message: secrets masked, then control characters
   * escaped, then cut to {@code maxLength} characters. Null stays null.
   */
  public String clean(String text, int maxLength) {
    return text == null ? null : bounded(escape(redact(text)), maxLength);
  }

  /** The message of {@code t} (or its class name if it has none), cleaned. */
  public String describe(Throwable t, int maxLength) {
    String message = t.getMessage();
    return clean(message == null || message.isBlank() ? t.getClass().getSimpleName() : message,
        maxLength);
  }

  /**
   * A stand-in for {@code t} and its causes to attach to our own exceptions: the same classes'
   * names, stack traces and cleaned messages, so that a logged stack trace cannot carry a secret
   * or forge log lines through a JDK message that quotes the server.
   */
  public Throwable sanitize(Throwable t) {
    return sanitize(t, 0);
  }

  private Throwable sanitize(Throwable t, int depth) {
    if (t == null || depth == 5) {
      return null;
    }
    Throwable copy = new RedactedException(t.getClass().getName() + ": " + describe(t, 300),
        sanitize(t.getCause(), depth + 1));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /**
   * Escapes what could break or forge a log line: ISO control characters (as {@code \n},
   * {@code \r}, {@code \t} or {@code \}{@code uXXXX}), line and paragraph separators, and
   * invisible format characters such as bidi overrides. Null stays null.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = escapeOf(text, i);
      if (replacement == null) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      out.append(replacement);
    }
    return out == null ? text : out.toString();
  }

  private static String escapeOf(String text, int i) {
    char c = text.charAt(i);
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    boolean loneSurrogate = Character.isHighSurrogate(c)
        ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
        : Character.isLowSurrogate(c)
            && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
        || Character.getType(c) == Character.FORMAT || loneSurrogate) {
      return String.format("\\u%04X", (int) c);
    }
    return null;
  }

  /** The text cut to {@code maxLength} characters, ending in "..." when cut. */
  public static String bounded(String text, int maxLength) {
    if (text == null || text.length() <= maxLength) {
      return text;
    }
    int end = Math.max(0, maxLength - 3);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }

  /**
   * A URL, or a string meant to be one, fit to echo in an error: the user-info (everything up to
   * the last {@code @} before the query), the query and the fragment are masked, and the result
   * is escaped and bounded. Works on malformed input too, which is when it is needed most.
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    int schemeEnd = url.indexOf("://");
    int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int queryStart = indexOfAny(url, "?#", authorityStart);
    StringBuilder out = new StringBuilder(url.length());
    int at = url.lastIndexOf('@', queryStart - 1);
    if (at >= authorityStart) {
      out.append(url, 0, authorityStart).append(MASK).append(url, at, queryStart);
    } else {
      out.append(url, 0, queryStart);
    }
    if (queryStart < url.length()) {
      out.append(url.charAt(queryStart)).append(MASK);
    }
    return bounded(escape(out.toString()), 200);
  }

  private static int indexOfAny(String text, String chars, int from) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }

  /** A cleaned stand-in for a foreign exception; its message names the original class. */
  static final class RedactedException extends Exception {
    private static final long serialVersionUID = 1L;

    RedactedException(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
