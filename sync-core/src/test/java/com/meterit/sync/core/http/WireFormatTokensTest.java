package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Versions and ETags from the server: 1 to N printable ASCII characters, both ends included. */
class WireFormatTokensTest {
  private static String ofLength(int length) {
    StringBuilder s = new StringBuilder("!");
    while (s.length() < length - 1) {
      s.append('v');
    }
    return s.append('~').toString();
  }

  private static String refusedVersion(String value) {
    return assertThrows(WireFormat.MalformedException.class,
        () -> WireFormat.version("configVersion", value)).getMessage();
  }

  @Test
  void takesAVersionOfExactlyTheLongestLengthWithBothEndsOfTheRange() throws Exception {
    String longest = ofLength(WireFormat.MAX_VERSION_LENGTH);
    assertEquals(longest, WireFormat.version("configVersion", longest));
    assertEquals("!~", WireFormat.version("configVersion", "!~"));
    assertEquals("configVersion must be 1 to 128 printable ASCII characters without spaces; "
        + "got 129 characters", refusedVersion(ofLength(129)));
  }

  @Test
  void namesWhatIsWrongWithoutQuotingTheValue() {
    assertEquals("configVersion must be 1 to 128 printable ASCII characters without spaces; "
        + "got 0 characters", refusedVersion(""));
    assertEquals("configVersion must be 1 to 128 printable ASCII characters without spaces; "
        + "got 3 characters, not all of them printable ASCII without spaces", refusedVersion("a b"));
    assertEquals("configVersion must be 1 to 128 printable ASCII characters without spaces; "
        + "got 128 characters, not all of them printable ASCII without spaces",
        refusedVersion(ofLength(127) + "\u007f"));
  }

  @Test
  void takesAnEtagOfExactlyTheLongestLength() throws Exception {
    String longest = ofLength(WireFormat.MAX_ETAG_LENGTH);
    assertEquals(longest, WireFormat.etag(longest));
    assertEquals("ETag must be 1 to 256 printable ASCII characters without spaces; "
        + "got 257 characters", assertThrows(WireFormat.MalformedException.class,
            () -> WireFormat.etag(ofLength(257))).getMessage());
  }
}
