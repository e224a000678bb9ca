/**
 * A stand-in for eTelecom, eSMS and NXCloud, for dev mode, demos, tests and benchmarks: it answers
 * {@code CreateJourney}, {@code SendZNSJourney}, {@code SendZaloFollowerMessage_V5_post_json} and {@code GetCallback} as the
 * providers do, then calls the gateway's webhooks back with the receipts the providers would send.
 * <p>
 * It lives in src/dev, which the gateway has as a {@code provided} dependency: dev mode and the tests
 * have it, a packaged build (jar or native) has none of it. Even there, only
 * {@link vn.zalogateway.simulator.DevSimulator} puts it in the application, and only when
 * {@code simulator.enabled=true} at build time (the dev profile sets it; a test profile may). Production
 * code never refers to this package; the gateway reaches the simulator through its ordinary REST clients,
 * whose URLs the dev profile points here.
 */
package vn.zalogateway.simulator;
