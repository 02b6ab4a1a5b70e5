/**
 * The operating system's side of the server's own threads: {@link dev.ivr.server.os.ThreadNice} lowers the
 * calling thread's scheduling priority (Linux's per-thread nice value, the {@code SCHED_IDLE} policy, or a long
 * EEVDF time slice), and {@link dev.ivr.server.os.BackgroundThreads} starts the background writers' and loops'
 * platform threads with it, so that on a busy CPU the calls' threads are scheduled before them; {@link
 * dev.ivr.server.os.CompilerThreads} gives the JIT's compiler threads the long slice.
 */
package dev.ivr.server.os;
