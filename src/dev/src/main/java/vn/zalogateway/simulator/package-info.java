/**
 * A stand-in for eTelecom, eSMS and NXCloud, for dev mode, demos, tests and benchmarks: it answers
 * {@code CreateJourney}, {@code SendZNSJourney}, {@code SendZaloFollowerMessage_V5_post_json} and {@code GetCallback} as the
 * providers do, then calls the gateway's webhooks back with the receipts the providers would send.
 * <p>
 * Only {@link vn.zalogateway.simulator.DevSimulator} puts it in the application, and only when
 * {@code simulator.enabled=true} at build time outside the prod profile (the dev profile sets it): a
 * production build removes that bean, so nothing serves these routes there. Production code never
 * refers to this package; the gateway reaches the simulator through its ordinary REST clients,
 * whose URLs the dev profile points here.
 */
package vn.zalogateway.simulator;
