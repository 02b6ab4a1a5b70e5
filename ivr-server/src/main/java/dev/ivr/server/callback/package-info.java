/**
 * Callbacks as stored: the {@link dev.ivr.server.callback.CallbackStore} port and its values. The cluster
 * owns live callbacks ({@code routing.CallbackDispatcher}); the store keeps every change for restarts and reports.
 */
package dev.ivr.server.callback;
