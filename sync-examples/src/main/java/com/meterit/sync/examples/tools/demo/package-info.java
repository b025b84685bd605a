/**
 * The one-command demo: an embedded H2 Sync Database, a simulated Client System on loopback and
 * simulated meters, walked through every feature of meter-sync.
 */
package com.meterit.sync.examples.tools.demo;
