package dev.ivr.server.routing;

import dev.ivr.server.call.DiagnosticScript;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.RoutingConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample Asterisk configuration in config/asterisk agrees with the server: the scripts the
 * dialplan calls exist, the IVR_* variables it reads are ones the server sets (and the ones the
 * server sets for it are read), the contexts the routing configuration names exist and do what
 * the server expects, and the AMI user has what the server uses and no more.
 */
class AsteriskSampleConfigTest {
    static final Path DIR = Path.of("..", "config", "asterisk");
    static final Pattern CONTEXT = Pattern.compile("^\\[([A-Za-z0-9_.-]+)](\\(!\\))?");
    static final Pattern AGI = Pattern.compile("AGI\\((?:\\$\\{IVR}|h?agi://[^/)]+)/([A-Za-z0-9_.-]+)"
            + "|Gosub\\(ivr-agi,s,1\\(([A-Za-z0-9_.-]+)\\)");
    static final Pattern GLOBAL = Pattern.compile("^(IVR_[A-Z_]+)=", Pattern.MULTILINE);
    static final Pattern READS = Pattern.compile("\\$\\{(IVR_[A-Z_]+)");
    static final Pattern SETS = Pattern.compile("Set\\((_{0,2}IVR_[A-Z_]+)=");

    /** Each context with its active lines (comments removed). */
    static Map<String, List<String>> dialplan() throws IOException {
        Map<String, List<String>> contexts = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : Files.readAllLines(DIR.resolve("extensions.conf"))) {
            String line = raw.replaceFirst(";.*$", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = CONTEXT.matcher(line);
            if (m.find()) {
                current = contexts.computeIfAbsent(m.group(1), k -> new ArrayList<>());
                continue;
            }
            if (current != null) {
                current.add(line);
            }
        }
        return contexts;
    }

    static String all(Map<String, List<String>> dialplan) {
        return String.join("\n", dialplan.values().stream().flatMap(List::stream).toList());
    }

    /** The IVR_* variables the server sets on channels. */
    static Set<String> serverSets() throws IllegalAccessException {
        Set<String> names = new TreeSet<>(Set.of("IVR_NODE", "IVR_OUTCOME"));
        for (Field f : dev.ivr.server.outbound.CampaignDialer.class.getDeclaredFields()) { // the campaigns' Originate
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        for (Field f : dev.ivr.server.outbound.PreviewDialing.class.getDeclaredFields()) { // a preview's Originate
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers()) && f.getType() == String.class
                    && ((String) f.get(null)).startsWith("IVR_")) {
                names.add((String) f.get(null));
            }
        }
        for (Field f : fieldsOf(AgentLeg.class, ConsultLeg.class, dev.ivr.server.callcontext.Consults.class)) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                f.setAccessible(true);
                String v = (String) f.get(null);
                if (v.startsWith("IVR_")) {
                    names.add(v);
                }
            }
        }
        return names;
    }

    private static List<Field> fieldsOf(Class<?>... classes) {
        List<Field> out = new java.util.ArrayList<>();
        for (Class<?> c : classes) {
            out.addAll(List.of(c.getDeclaredFields()));
        }
        return out;
    }

    /** Consult transfers: the agent holds at hold (until marked done), the target's channel bridges with it at s. */
    @Test
    void theConsultContextHoldsTheAgentAndBridgesTheTarget() throws IOException {
        List<String> consult = dialplan().get(dev.ivr.server.callcontext.Consults.CONTEXT);
        assertThat(consult).isNotNull();
        assertThat(consult).anyMatch(l -> l.startsWith("exten => " + dev.ivr.server.callcontext.Consults.TALK_EXTEN + ",1,"))
                .anyMatch(l -> l.contains("Bridge(${" + dev.ivr.server.callcontext.Consults.PEER_VARIABLE + "})"))
                .anyMatch(l -> l.startsWith("exten => " + dev.ivr.server.callcontext.Consults.HOLD_EXTEN + ",1,MusicOnHold("))
                .anyMatch(l -> l.contains("${" + ConsultLeg.DONE_VARIABLE + "}"));
    }

    @Test
    void everyScriptTheDialplanCallsIsAFlowOrABuiltInScript() throws IOException {
        Set<String> scripts = new HashSet<>();
        Matcher m = AGI.matcher(all(dialplan()));
        while (m.find()) {
            scripts.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        Set<String> known = new HashSet<>(List.of(DiagnosticScript.NAME, DialplanReports.AGENT_ANSWERED,
                DialplanReports.ROUTE_ENDED, CallbackReports.CALLBACK_RESULT, dev.ivr.server.outbound.PreviewReports.SCRIPT));
        try (Stream<Path> flows = Files.list(Path.of("..", "flows"))) {
            flows.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.endsWith(".test.yaml"))
                    .forEach(n -> known.add(n.substring(0, n.length() - ".yaml".length())));
        }
        assertThat(scripts).contains("customer-service", "diag", "agent-answered", "route-ended",
                dev.ivr.server.outbound.PreviewReports.SCRIPT);
        assertThat(known).containsAll(scripts);
        // the high-availability variants are shown: a second address, and DNS SRV
        assertThat(Files.readString(DIR.resolve("extensions.conf"))).contains(";IVR=hagi://").contains("IVR_BACKUP=agi://");
    }

    @Test
    void theDialplanReadsOnlyVariablesTheServerSetsAndReadsThoseItMust() throws Exception {
        String dialplan = all(dialplan());
        Set<String> reads = new TreeSet<>();
        Matcher m = READS.matcher(dialplan);
        while (m.find()) {
            reads.add(m.group(1));
        }
        Set<String> ownVariables = new HashSet<>();
        Matcher s = SETS.matcher(dialplan);
        while (s.find()) {
            ownVariables.add(s.group(1).replaceFirst("^_+", ""));
        }
        Matcher g = GLOBAL.matcher(dialplan);
        while (g.find()) {
            ownVariables.add(g.group(1)); // [globals]: IVR, IVR_BACKUP
        }
        Set<String> fromServer = new TreeSet<>(reads);
        fromServer.removeAll(ownVariables);
        assertThat(serverSets()).containsAll(fromServer);
        // what the dialplan must read for routing to work
        assertThat(reads).contains("IVR_STATUS", "IVR_NODE", "IVR_CONTEXT", "IVR_DIAL_ENDPOINT",
                "IVR_DIAL_TIMEOUT", "IVR_DIAL_OPTIONS", "IVR_CALL_ID");
    }

    @Test
    void theContextsTheRoutingConfigurationNamesExistAndDoTheirJob() throws IOException {
        RoutingConfig routing = ConfigLoader.load(Map.of()).routing();
        Map<String, List<String>> dialplan = dialplan();
        assertThat(dialplan).containsKeys(routing.preDialHandler(), routing.answerHandler(), routing.callbackContext(),
                "ivr-route", "ivr-down");
        List<String> leg = dialplan.get(routing.preDialHandler());
        assertThat(leg.get(0)).startsWith("exten => s,1,")
                .contains("Set(PJSIP_HEADER(add,X-IVR-Context)=${IVR_CONTEXT})");
        assertThat(leg).last().asString().contains("Return()");
        List<String> answered = dialplan.get(routing.answerHandler());
        assertThat(answered.get(0)).startsWith("exten => s,1,").contains("Gosub(ivr-agi,s,1(agent-answered))");
        // an answer routing refused (a late one) is not bridged: the agent's leg ends as busy, the caller goes on
        assertThat(answered).anyMatch(l -> l.contains("$[\"${IVR_STATUS}\" = \"" + DialplanReports.REFUSED + "\"]"))
                .anyMatch(l -> l.contains("Set(GOSUB_RESULT=BUSY)")).noneMatch(l -> l.contains("GOSUB_RESULT=ABORT"));
        assertThat(answered).last().asString().contains("Return()");
        // callbacks: the customer's number (with or without +) is the extension Originate names
        assertThat(dialplan.get(routing.callbackContext())).anyMatch(l -> l.startsWith("exten => _X.,1,"))
                .anyMatch(l -> l.startsWith("exten => _+X.,1,"));
        // dial mode dialplan: Dial with what the server set, then the report; and from h
        List<String> route = dialplan.get("ivr-route");
        assertThat(route.get(0)).contains("Dial(${IVR_DIAL_ENDPOINT},${IVR_DIAL_TIMEOUT},${IVR_DIAL_OPTIONS})");
        assertThat(route).anyMatch(l -> l.startsWith("exten => h,1,"))
                .filteredOn(l -> l.contains("route-ended")).hasSize(2); // after Dial, and from h
        // the server unreachable, or not serving the flow: a fallback
        assertThat(dialplan.get("from-pstn")).anyMatch(l -> l.contains("Goto(ivr-down,s,1)"))
                .anyMatch(l -> l.contains("Gosub(ivr-agi,s,1(customer-service))"));
        // every call into the IVR tries IVR, then IVR_BACKUP (GotoIf: IF() splits agi://host:port at its ':')
        List<String> agi = dialplan.get("ivr-agi");
        assertThat(String.join("\n", agi)).contains("AGI(${IVR}/${ARG1})").contains("AGI(${IVR_BACKUP}/${ARG1})")
                .contains("GotoIf(").doesNotContain("IF(").contains("Return()");
        assertThat(all(dialplan)).doesNotContainPattern("AGI\\(\\$\\{IVR}/(customer-service|agent-answered|route-ended)");
    }

    /** app_amd does not load without amd.conf (Asterisk 20: "Configuration file amd.conf missing"): the sample ships one. */
    @Test
    void theOutboundContextRunsAmdAndTheSampleHasTheAmdConfigurationItNeeds() throws IOException {
        Map<String, List<String>> dialplan = dialplan();
        assertThat(dialplan.get("ivr-outbound")).anyMatch(l -> l.contains("AMD()"));
        String amd = Files.readString(DIR.resolve("amd.conf"));
        assertThat(amd).contains("[general]");
        for (String key : List.of("initial_silence", "greeting", "after_greeting_silence", "total_analysis_time",
                "min_word_length", "between_words_silence", "maximum_number_of_words", "silence_threshold",
                "maximum_word_length")) {
            assertThat(amd).as("amd.conf: " + key).containsPattern("(?m)^" + key + " = [0-9]+");
        }
    }

    @Test
    void theTransferTargetsAndMailboxesOfTheShippedFlowsExist() throws IOException {
        Map<String, List<String>> dialplan = dialplan();
        String voicemail = Files.readString(DIR.resolve("voicemail.conf"));
        Pattern transfer = Pattern.compile("type: transfer\\s+(?:description: [^\\n]*\\s+)?to: \"?([0-9]+)\"?\\s+context: ([a-z-]+)");
        Pattern mailbox = Pattern.compile("mailbox: ([0-9]+)@([a-z]+)");
        try (Stream<Path> flows = Files.list(Path.of("..", "flows"))) {
            for (Path f : flows.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".test.yaml")).toList()) {
                String yaml = Files.readString(f);
                Matcher t = transfer.matcher(yaml);
                while (t.find()) {
                    assertThat(dialplan).as(f + ": transfer context").containsKey(t.group(2));
                    assertThat(dialplan.get(t.group(2))).as(f + ": extension " + t.group(1) + " in [" + t.group(2) + "]")
                            .anyMatch(l -> l.startsWith("exten => " + t.group(1) + ",1,"));
                }
                Matcher m = mailbox.matcher(yaml);
                while (m.find()) {
                    assertThat(voicemail).as(f + ": mailbox " + m.group()).contains("[" + m.group(2) + "]")
                            .containsPattern("(?m)^" + m.group(1) + " => ");
                }
            }
        }
        assertThat(dialplan.get("ivr-down")).anyMatch(l -> l.contains("VoiceMail(2000@support"));
    }

    /** The README's dialplan examples are the sample's own lines (the system tests load the sample). */
    @Test
    void theReadmesDialplanSnippetsAreTakenFromTheSample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String sample = Files.readString(DIR.resolve("extensions.conf"));
        Matcher block = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int snippets = 0;
        while (block.find()) {
            String text = block.group(1);
            if (!text.contains("exten =>") && !text.contains("same =>")) {
                continue;
            }
            snippets++;
            for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
                assertThat(sample).as("README dialplan line, in config/asterisk/extensions.conf").contains(line);
            }
        }
        assertThat(snippets).isPositive();
    }

    @Test
    void theManagerUserHasTheLeastPrivilegesTheServerNeeds() throws IOException {
        Map<String, String> user = new LinkedHashMap<>();
        String section = null;
        for (String raw : Files.readAllLines(DIR.resolve("manager.conf"))) {
            String line = raw.replaceFirst(";.*$", "").strip();
            Matcher m = CONTEXT.matcher(line);
            if (m.find()) {
                section = m.group(1);
            } else if ("ivr".equals(section) && line.contains("=")) {
                user.merge(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip(),
                        (a, b) -> a + "," + b);
            }
        }
        assertThat(Set.of(user.get("read").split("\\s*,\\s*"))).containsExactlyInAnyOrder("call", "system");
        assertThat(Set.of(user.get("write").split("\\s*,\\s*"))).containsExactlyInAnyOrder("originate", "system", "call");
        assertThat(user.get("deny")).isEqualTo("0.0.0.0/0.0.0.0");
        assertThat(user).containsKey("permit");
        assertThat(user.get("secret")).startsWith("change-me");
    }
}
