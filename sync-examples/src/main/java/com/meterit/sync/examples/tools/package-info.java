/**
 * The tools around the agent, shipped in {@code meter-sync-tools.jar}, never in the agent jar:
 * {@code demo}, {@code simulator} (the simulated Client System), {@code bench} (the benchmark
 * harness) and {@code fleet} (the fleet simulator). What more than one tool uses lives here, in
 * this package ({@link com.meterit.sync.examples.tools.Canvas} for charts, {@link
 * com.meterit.sync.examples.tools.ToolOptions} for command lines); the simulated Client System is
 * the one tool the others may run. No tool reaches into another's package otherwise.
 */
package com.meterit.sync.examples.tools;
