package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.OutboundAuth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the startup log describes an upstream's authentication: in words, never with a secret. */
class StartupBannerTest {

    @Test
    void eachOutboundModeIsDescribedInWordsWithoutItsSecrets() {
        assertThat(StartupBanner.inWords(OutboundAuth.none())).isEqualTo("without credentials");
        assertThat(StartupBanner.inWords(new OutboundAuth(OutboundAuth.Mode.TOKEN, "tok-secret", null, null, null)))
                .isEqualTo("with a configured X-Auth-Token");
        assertThat(StartupBanner.inWords(new OutboundAuth(OutboundAuth.Mode.PASS_THROUGH, null, null, null, null)))
                .isEqualTo("with the caller's own X-Auth-Token, passed on");
        assertThat(StartupBanner.inWords(new OutboundAuth(OutboundAuth.Mode.AKSK, null, "HPUAKEY", "sk-secret", null)))
                .isEqualTo("signed with access key HPUAKEY");
        assertThat(StartupBanner.inWords(new OutboundAuth(OutboundAuth.Mode.AKSK, null, "HPUAKEY", "sk-secret",
                "st-secret"))).isEqualTo("signed with access key HPUAKEY (temporary, with a security token)");
    }
}
