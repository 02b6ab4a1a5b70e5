package dev.ivr.server.crm.segment;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.attributes.AttributeSchemaTest;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Segments counted by the database, the same on H2 and PostgreSQL (subclasses). */
abstract class SegmentsContract {
    protected abstract String newDatabaseUrl();

    protected abstract String user();

    @TempDir
    Path tmp;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Segments segments() throws Exception {
        db = Database.open(new DatabaseConfig(newDatabaseUrl(), user(), "", 5, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        Path csv = tmp.resolve("c.csv");
        Files.writeString(csv, """
                id,first_name,tier,attr.contract_end,attr.balance,attr.do_not_call,attr.plan,attr.note
                C1,Anna,gold,2027-03-27,9,no,premium,alpha
                C2,Bela,silver,2027-03-31,10,yes,basic,
                C3,Cili,gold,2027-04-01,100.5,,basic,beta
                C4,Dora,,2027-03-20,-3,no,,
                C5,Eva,gold,,1000,,premium,
                """);
        CrmConfig cfg = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        MutableClock clock = new MutableClock(Instant.parse("2027-03-01T10:00:00Z"));
        CustomerImport.Report r = new CustomerImport(db.dataSource(), new PhoneNumbers(cfg.region()), new PinHasher(cfg.pinHash()),
                clock, AttributeSchemaTest.SCHEMA).run(csv, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE);
        assertThat(r.rejected()).isEmpty();
        return new Segments(db.dataSource(), AttributeSchemaTest.SCHEMA, clock);
    }

    private static java.util.List<String> ids(Segments s, String expression) throws SegmentException {
        return s.countExpression(expression, 100).sample().stream().map(Segments.Member::id).toList();
    }

    @Test
    void theContractRenewalSegmentCountsWhoseContractEndsIn25To30DaysAndMayBeCalled() throws Exception {
        Segments s = segments();
        s.save("renewal", "attr.contract_end >= today() + duration(\"25d\") && attr.contract_end <= today() + duration(\"30d\")"
                + " && !attr.do_not_call", "contracts ending in 25-30 days", "test");
        Segments.Count c = s.count("renewal", 5).orElseThrow();
        assertThat(c.total()).isEqualTo(1);
        assertThat(c.sample()).extracting(Segments.Member::id).containsExactly("C1");
        assertThat(s.list()).extracting(Segments.Segment::name).containsExactly("renewal");
        assertThat(s.count("nope", 5)).isEmpty();
    }

    @Test
    void numbersCompareAsNumbersAndMissingAttributesMatchOnlyNegations() throws Exception {
        Segments s = segments();
        assertThat(ids(s, "attr.balance > 9.5")).containsExactly("C2", "C3", "C5"); // as text "9" > "10"
        assertThat(ids(s, "attr.balance >= -3 && attr.balance < 10")).containsExactly("C1", "C4");
        assertThat(ids(s, "attr.plan != \"basic\"")).containsExactly("C1", "C5");
        assertThat(ids(s, "!(attr.plan == \"basic\")")).containsExactly("C1", "C4", "C5");
        assertThat(ids(s, "has(attr.contract_end) && customer.tier in [\"gold\", \"silver\"]")).containsExactly("C1", "C2", "C3");
        assertThat(ids(s, "attr.do_not_call")).containsExactly("C2");
        assertThat(ids(s, "customer.tier == \"gold\" || attr.plan == \"PREMIUM\"")).containsExactly("C1", "C3", "C5");
        Segments.Count sample = s.countExpression("true", 2);
        assertThat(sample.total()).isEqualTo(5);
        assertThat(sample.sample()).hasSize(2);
    }

    @Test
    void negationsOfEveryKindMatchTheCustomersWithoutAMatchingValueMissingAttributesIncluded() throws Exception {
        Segments s = segments();
        assertThat(ids(s, "!attr.do_not_call")).as("boolean").containsExactly("C1", "C3", "C4", "C5");
        assertThat(ids(s, "!(attr.balance > 9.5)")).as("number").containsExactly("C1", "C4");
        assertThat(ids(s, "!(attr.balance >= -3 && attr.balance < 10)")).as("number range").containsExactly("C2", "C3", "C5");
        assertThat(ids(s, "!(attr.contract_end <= date(\"2027-03-27\"))")).as("date").containsExactly("C2", "C3", "C5");
        assertThat(ids(s, "!(attr.plan == \"premium\")")).as("enum").containsExactly("C2", "C3", "C4");
        assertThat(ids(s, "!(attr.plan in [\"basic\", \"premium\"])")).as("enum list").containsExactly("C4");
        assertThat(ids(s, "!(attr.note == \"alpha\")")).as("text").containsExactly("C2", "C3", "C4", "C5");
        assertThat(ids(s, "!has(attr.contract_end)")).as("missing").containsExactly("C5");
        assertThat(ids(s, "!has(attr.note)")).as("missing text").containsExactly("C2", "C4", "C5");
        assertThat(ids(s, "!(attr.do_not_call || attr.plan == \"premium\")")).as("or").containsExactly("C3", "C4");
        assertThat(ids(s, "!(attr.plan == \"basic\" && attr.balance > 50)")).as("and").containsExactly("C1", "C2", "C4", "C5");
        assertThat(ids(s, "!(!attr.do_not_call)")).as("twice").containsExactly("C2");
        assertThat(ids(s, "has(attr.balance) && !attr.do_not_call && !(attr.plan == \"basic\")")).containsExactly("C1", "C4", "C5");
    }

    @Test
    void aBadExpressionIsRefusedAtSaveTimeWithLineAndColumn() throws Exception {
        Segments s = segments();
        assertThatThrownBy(() -> s.save("bad", "attr.balance > 1 &&\n  attr.contrct_end < today()", null, "test"))
                .isInstanceOf(SegmentException.class).hasMessageStartingWith("2:7: no attribute 'contrct_end'")
                .hasMessageContaining("did you mean 'contract_end'?");
        assertThatThrownBy(() -> s.save("bad name!", "true", null, "test")).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.list()).isEmpty();
    }
}
