/**
 * Helpers for the tests of every module: {@link dev.ivr.testsupport.MutableClock},
 * {@link dev.ivr.testsupport.FreePorts}, {@link dev.ivr.testsupport.TcpProxy},
 * {@link dev.ivr.testsupport.PostgresServer}, {@link dev.ivr.testsupport.TestCluster},
 * {@link dev.ivr.testsupport.KeptLogs} (a failed test's server logs kept beside the reports),
 * {@link dev.ivr.testsupport.ProcessReports} (a server process's report of the ports it bound, waited for). A test-scoped
 * dependency only; nothing here knows the project's own classes.
 */
package dev.ivr.testsupport;
