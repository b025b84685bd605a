/**
 * Runnable examples of meter-sync: {@link com.meterit.sync.examples.SyncAgent}, a standalone agent
 * configured from the environment; {@link com.meterit.sync.examples.demo.Demo}, a one-command
 * tour of every feature; and small examples to copy.
 */
package com.meterit.sync.examples;
