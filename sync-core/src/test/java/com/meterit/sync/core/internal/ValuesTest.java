package com.meterit.sync.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What may go into a header as a credential, and into a path as a gateway id. */
class ValuesTest {
  @Test
  void aCredentialMayHoldEveryPrintableAsciiCharacterFromBangToTilde() {
    assertNull(Values.unsendable("!abc~"));
    assertEquals("holds a character that cannot be sent in an HTTP header (U+0020 at position 4); "
        + "only printable ASCII without spaces is allowed", Values.unsendable("abc def"));
    assertEquals("holds a character that cannot be sent in an HTTP header (U+007F at position 1); "
        + "only printable ASCII without spaces is allowed", Values.unsendable("\u007fabc"));
  }

  @Test
  void aGatewayIdIsOnePathSegmentWithoutControlCharacters() {
    assertNull(Values.notOnePathSegment("gw-17/..%2e"));
    assertEquals("must be an id, not the path segment '..'", Values.notOnePathSegment(".."));
    assertEquals("must be an id, not the path segment '.'", Values.notOnePathSegment("."));
    assertEquals("holds a control character at position 3", Values.notOnePathSegment("gw\n17"));
  }
}
