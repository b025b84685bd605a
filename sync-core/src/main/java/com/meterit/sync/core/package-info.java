/**
 * The meter-sync engine: {@link com.meterit.sync.core.SyncManager} drains a
 * {@link com.meterit.sync.api.ReadingSource} into a {@link com.meterit.sync.api.ClientSystemGateway}
 * on a schedule, with retries, offline operation, heartbeats and remote configuration.
 */
package com.meterit.sync.core;
