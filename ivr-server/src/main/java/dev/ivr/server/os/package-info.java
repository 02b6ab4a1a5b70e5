/**
 * The operating system's side of the server's own threads: {@link dev.ivr.server.os.ThreadNice} lowers the
 * calling thread's scheduling priority (Linux's per-thread nice value, or the {@code SCHED_IDLE} policy), and {@link
 * dev.ivr.server.os.BackgroundThreads} starts the background writers' and loops' platform threads with it, so that
 * on a busy CPU the calls' threads are scheduled before them.
 */
package dev.ivr.server.os;
