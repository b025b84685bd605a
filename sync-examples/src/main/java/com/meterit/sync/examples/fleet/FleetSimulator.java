package com.meterit.sync.examples.fleet;

/** Placeholder main, replaced below. */
public final class FleetSimulator {
  private FleetSimulator() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.com.meterit.sync", System.getProperty("fleet.log", "error"));
    int gateways = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    FleetOptions.RetryAfter ra = args.length > 1 ? FleetOptions.RetryAfter.valueOf(args[1]) : FleetOptions.RetryAfter.NONE;
    FleetOptions.Client c = args.length > 2 ? FleetOptions.Client.valueOf(args[2]) : FleetOptions.Client.DEFAULTS;
    FleetOptions o = FleetOptions.builder().setGateways(gateways).setRetryAfter(ra).setClient(c).build();
    System.out.println(o);
    System.out.println(FleetRun.run(o));
  }
}
