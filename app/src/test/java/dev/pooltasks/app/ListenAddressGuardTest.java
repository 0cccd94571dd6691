package dev.pooltasks.app;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which listen addresses need caller authentication (the start itself is checked end to end: e2e ListenAddressTest). */
class ListenAddressGuardTest {

    @Test
    void loopbackNeedsNoAuthentication() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"}) {
            assertThat(ListenAddressGuard.isLoopback(host)).as(host).isTrue();
            assertThatCode(() -> ListenAddressGuard.check(host, false, false)).as(host).doesNotThrowAnyException();
        }
    }

    @Test
    void anyOtherAddressWithoutAuthenticationIsRefusedNamingTheWaysOut() {
        for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3"}) {
            assertThat(ListenAddressGuard.isLoopback(host)).as(host).isFalse();
            assertThatThrownBy(() -> ListenAddressGuard.check(host, false, false)).as(host)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("pooltasks refuses to listen on " + host + " without caller authentication")
                    .hasMessageContaining("pooltasks.auth.access-keys.<AK>.secret-key")
                    .hasMessageContaining("pooltasks.auth.tokens.<name>.value")
                    .hasMessageContaining("pooltasks.auth.allow-anonymous=true");
        }
    }

    @Test
    void authenticationOrAnExplicitAllowanceLetsItListenAnywhere() {
        assertThatCode(() -> ListenAddressGuard.check("0.0.0.0", true, false)).doesNotThrowAnyException();
        assertThatCode(() -> ListenAddressGuard.check("0.0.0.0", false, true)).doesNotThrowAnyException();
    }
}
