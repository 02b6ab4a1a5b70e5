/**
 * Call recording: the per-queue policy ({@link dev.ivr.server.recording.RecordingPolicy}), the
 * recordings' rows and their access log ({@link dev.ivr.server.recording.Recording}), and the
 * encryption of files at rest ({@link dev.ivr.server.recording.RecordingCipher}). The service that
 * starts, pauses and purges them is in {@code recording.store}; the HTTP routes in {@code recording.http}.
 */
package dev.ivr.server.recording;
