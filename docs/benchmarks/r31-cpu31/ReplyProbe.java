import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.asteriskjava.util.SocketConnectionFacade;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.List;

/**
 * cpu31: what reading and asking one AGI reply costs the call's thread, Asterisk-Java's FastAgiReader + AgiReplyImpl
 * against ivr's AgiReplyLine: CPU ns and bytes allocated per reply, over the simple flow's reply shapes, each asked
 * what the call path asks (AgiChannelImpl: the status three times; then the result code, or the result and the extra).
 *   java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r31-cpu31/ReplyProbe.java [ROUNDS]
 */
public class ReplyProbe {
    static final List<String> REPLIES = List.of("200 result=0", "200 result=0 endpos=16000", "200 result=49 endpos=8000",
            "200 result=1234 (timeout)", "200 result=0", "200 result=1", "200 result=-1 endpos=0");
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Constructor<?> fast = Class.forName("org.asteriskjava.fastagi.internal.FastAgiReader")
                .getDeclaredConstructor(SocketConnectionFacade.class);
        fast.setAccessible(true);
        Method ours = Class.forName("dev.ivr.server.agi.AgiReplyLine").getDeclaredMethod("read", SocketConnectionFacade.class);
        ours.setAccessible(true);
        Lines lines = new Lines();
        AgiReader aj = (AgiReader) fast.newInstance(lines);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 2_000_000;
        for (int r = 0; r < rounds; r++) {
            for (int which = 0; which < 2; which++) {
                long cpu0 = mx.getCurrentThreadCpuTime(), a0 = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < n; i++) {
                    AgiReply reply = which == 0 ? aj.readReply() : (AgiReply) ours.invoke(null, lines);
                    ask(reply, i);
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0, a = mx.getCurrentThreadAllocatedBytes() - a0;
                System.out.printf("round %d %-28s %6.1f ns/reply %6.1f bytes/reply%n", r,
                        which == 0 ? "FastAgiReader+AgiReplyImpl" : "AgiReplyLine", (double) cpu / n, (double) a / n);
            }
        }
    }

    static void ask(AgiReply r, int i) {
        long s = r.getStatus() + r.getStatus() + r.getStatus();
        if (r.getFirstLine().contains("(")) {
            s += r.getResult().length() + (r.getExtra() == null ? 0 : 1);
        } else {
            s += r.getResultCode();
        }
        sink += s;
    }

    static final class Lines implements SocketConnectionFacade {
        int i;

        @Override
        public String readLine() {
            return new String(REPLIES.get(i++ % REPLIES.size())); // a fresh string, as a socket read makes
        }

        @Override
        public void write(String s) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public InetAddress getLocalAddress() {
            return null;
        }

        @Override
        public int getLocalPort() {
            return 0;
        }

        @Override
        public InetAddress getRemoteAddress() {
            return null;
        }

        @Override
        public int getRemotePort() {
            return 0;
        }
    }
}
