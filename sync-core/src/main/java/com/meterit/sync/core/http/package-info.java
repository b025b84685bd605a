/**
 * {@link com.meterit.sync.core.http.HttpClientSystemGateway}: Client System API v1 over the JDK's
 * {@link java.net.http.HttpClient}, with Jackson on the wire. The contract is written down in
 * {@code docs/client-system-api.md}.
 */
package com.meterit.sync.core.http;
