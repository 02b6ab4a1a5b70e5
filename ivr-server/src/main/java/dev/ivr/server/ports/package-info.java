/**
 * The addresses a running server bound, reported in {@code <data-dir>/ports.json} for operators, the
 * command-line tools and tests ({@link dev.ivr.server.ports.PortsReport}).
 */
package dev.ivr.server.ports;
