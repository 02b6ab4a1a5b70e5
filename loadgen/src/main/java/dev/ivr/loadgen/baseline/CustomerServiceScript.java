package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hand-written equivalent of the customer-service flow's path the load scenario takes: the
 * same AGI commands in the same order (welcome, language menu, main menu, queue with music and
 * one-second ticks, announcements, agent leg variables, Dial), with the agents as an in-memory
 * pool and a fixed wrap-up. What it leaves out is what the ivr server does besides AGI: CRM
 * lookups, the routing cluster, contexts, screen pops, checkpoints, interaction records.
 */
final class CustomerServiceScript extends BaseAgiScript {
    private final BlockingQueue<String> readyAgents;
    private final ScheduledExecutorService wrapUps = Executors.newSingleThreadScheduledExecutor();
    private final long wrapUpMillis;

    CustomerServiceScript(int agents, long wrapUpMillis) {
        this.readyAgents = new ArrayBlockingQueue<>(agents);
        for (int i = 1; i <= agents; i++) {
            readyAgents.add(String.format("PJSIP/a%05d", i));
        }
        this.wrapUpMillis = wrapUpMillis;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.setVariable("IVR_NODE", "baseline");
        channel.answer();
        channel.streamFile("ivr/en/welcome", "0123456789*#");
        char lang = channel.streamFile("ivr/en/language-menu", "0123456789*#");
        if (lang == 0) {
            channel.waitForDigit(4000);
        }
        char choice = channel.streamFile("ivr/en/main-menu", "0123456789*#");
        if (choice == 0) {
            choice = channel.waitForDigit(5000);
        }
        String queue = choice == '3' ? "sales" : "support";
        String agent = null;
        long nextAnnouncement = 0;
        boolean music = false;
        try {
            while (agent == null) {
                if (System.currentTimeMillis() >= nextAnnouncement) {
                    if (music) {
                        channel.sendCommand(new SetMusicOffCommand());
                        music = false;
                    }
                    channel.streamFile("ivr/en/queue-wait", "2");
                    nextAnnouncement = System.currentTimeMillis() + 45_000;
                }
                if (!music) {
                    channel.sendCommand(new SetMusicOnCommand("default"));
                    music = true;
                }
                channel.waitForDigit(1000);
                agent = readyAgents.poll(0, TimeUnit.MILLISECONDS);
            }
            channel.sendCommand(new SetMusicOffCommand());
            channel.setVariable("__IVR_CALL_ID", request.getUniqueId());
            channel.setVariable("__IVR_QUEUE", queue);
            channel.setVariable("__IVR_AGENT_ID", agent);
            channel.exec("Dial", agent + ",20");
            channel.getFullVariable("${DIALSTATUS}");
            channel.hangup();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (agent != null) {
                String a = agent;
                wrapUps.schedule(() -> readyAgents.add(a), wrapUpMillis, TimeUnit.MILLISECONDS);
            }
        }
    }
}
