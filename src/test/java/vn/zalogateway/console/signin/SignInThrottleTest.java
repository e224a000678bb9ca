package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/** The shared sign-in throttle against PostgreSQL: per name, per address, windows that end, reservations given back. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SignInThrottleTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    SignInThrottle throttle;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    /** Addresses of documentation ranges, new for each test: what one test refused does not hold up the next. */
    String prefix;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("console_sign_in_attempts");
        prefix = "2001:db8:" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff) + ":";
    }

    @AfterEach
    void forget() {
        rows.clear("console_sign_in_attempts");
    }

    @Test
    void anAddressHasItsOwnLimitWhateverTheNames() {
        String address = prefix + "1::/64";
        for (int i = 1; i <= SignInThrottle.PER_ADDRESS; i++) {
            assertThat(reserve("name-" + i, address).allowed()).as("attempt %d", i).isTrue();
        }
        SignInThrottle.Verdict refused = reserve("name-21", address);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(850L, 900L);
        assertThat(reserve(null, address).allowed()).as("names no operator can have count too").isFalse();
        assertThat(reserve("name-22", prefix + "2::/64").allowed()).as("another address").isTrue();
    }

    @Test
    void aNameHasItsOwnLimitWhateverTheAddresses() {
        String name = "lan-" + UUID.randomUUID();
        for (int i = 1; i <= SignInThrottle.PER_NAME; i++) {
            assertThat(reserve(name, prefix + i + "::/64").allowed()).isTrue();
        }
        assertThat(reserve(name, prefix + "99::/64").allowed()).isFalse();
        assertThat(rows.one("select attempts from console_sign_in_attempts where key = ?", "name:" + name)).isEqualTo(Map.of("attempts", 6));
    }

    @Test
    void aSuccessGivesItsReservationBackAndForgetsTheNamesFailures() {
        String name = "minh-" + UUID.randomUUID();
        String address = prefix + "3::/64";
        for (int i = 1; i <= 3; i++) {
            assertThat(reserve(name, address).allowed()).isTrue();
        }
        throttle.succeeded(name, address).await().atMost(WAIT);
        assertThat(rows.one("select count(*) as n from console_sign_in_attempts where key = ?", "name:" + name)).isEqualTo(Map.of("n", 0L));
        assertThat(rows.one("select attempts from console_sign_in_attempts where key = ?", "address:" + address))
                .isEqualTo(Map.of("attempts", 2));
    }

    @Test
    void aWindowThatEndedStartsAgain() {
        String name = "hoa-" + UUID.randomUUID();
        String address = prefix + "4::/64";
        for (int i = 1; i <= SignInThrottle.PER_NAME; i++) {
            assertThat(reserve(name, address).allowed()).isTrue();
        }
        rows.update("update console_sign_in_attempts set window_started = now() - interval '16 minutes'");
        assertThat(reserve(name, address).allowed()).isTrue();
        assertThat(rows.one("select attempts from console_sign_in_attempts where key = ?", "name:" + name)).isEqualTo(Map.of("attempts", 1));
    }

    private SignInThrottle.Verdict reserve(String name, String address) {
        return throttle.reserve(name, address).await().atMost(WAIT);
    }
}
