package dev.ivr.server.agi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One platform thread that waits for the replies of the commands a call sent without keeping a thread to read their
 * replies ({@link AgiSocket#whenReplyReadable}): the connection is switched to non-blocking while it is registered
 * here, and back to blocking before the reply is handed to a virtual thread of its own, which reads it as any other
 * (from the connection's buffer, where this thread put the bytes). So a caller waiting for an agent has no thread
 * parked in a socket read, and no stack, between its commands.
 */
final class AgiPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgiPoller.class);

    private final Selector selector;
    private final Queue<AgiSocket> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    AgiPoller(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
    }

    /** Registers a connection whose reply is to be waited for (any thread); the connection is non-blocking already. */
    void register(AgiSocket socket) {
        toRegister.add(socket);
        selector.wakeup();
    }

    private void run() {
        List<AgiSocket> ready = new ArrayList<>();
        while (running) {
            try {
                selector.select();
                AgiSocket s;
                while ((s = toRegister.poll()) != null) {
                    try {
                        s.channel().register(selector, SelectionKey.OP_READ, s);
                    } catch (ClosedChannelException | RuntimeException e) {
                        ready.add(s); // closed meanwhile: the reader finds out how
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    AgiSocket socket = (AgiSocket) key.attachment();
                    if (!key.isValid() || socket.readAvailable()) {
                        key.cancel();
                        ready.add(socket);
                    }
                }
                if (!ready.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled keys: a channel can only block again then
                    for (AgiSocket r : ready) {
                        r.replyReadable();
                    }
                    ready.clear();
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.error("the AGI poller failed: {}", e.toString(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
