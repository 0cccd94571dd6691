package dev.pooltasks.adapter.out.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings refuse what cannot work, and never repeat a URL that may hold a password. */
class RedisSettingsTest {

    @Test
    void theEndpointToLogHasNoCredentials() {
        assertThat(settings("redis://:s3cret@redis.internal:6380/2").endpoint()).isEqualTo("redis://redis.internal:6380");
        assertThat(settings("rediss://user:s3cret@redis.internal").endpoint()).isEqualTo("rediss://redis.internal");
    }

    @Test
    void aBadUrlIsRefusedWithoutShowingIt() {
        for (String url : new String[] {"redis://:pa ss@host:6379", "http://:s3cret@host:6379", "s3cret", "redis:///0"}) {
            assertThatThrownBy(() -> settings(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pooltasks.redis.url").hasMessageNotContaining("s3cret")
                    .hasMessageNotContaining("pa ss");
        }
    }

    @Test
    void aKeyPrefixIsShortAndPlain() {
        assertThatThrownBy(() -> new RedisSettings("redis://h", "has space", Duration.ofMillis(50), 1,
                Duration.ofSeconds(1), 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisSettings("redis://h", "", Duration.ofMillis(50), 1,
                Duration.ofSeconds(1), 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static RedisSettings settings(String url) {
        return new RedisSettings(url, "pooltasks", Duration.ofMillis(50), 4, Duration.ofSeconds(2), 0,
                Duration.ofSeconds(5));
    }
}
