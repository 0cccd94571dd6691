package dev.pooltasks.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kubernetes manifests the app build writes: probes wired to the health endpoints, listening beyond loopback. */
class KubernetesManifestTest {

    @Test
    void manifestsWireTheProbesAndTheListenAddress() throws Exception {
        Path manifest = Path.of("../app/target/kubernetes/kubernetes.yml");
        assertThat(manifest).as("built by the app module's package phase").exists();
        String yaml = Files.readString(manifest);
        assertThat(yaml).contains("kind: Deployment").contains("kind: Service")
                .contains("name: pooltasks")
                .contains("replicas: 2")
                .containsPattern("livenessProbe:[\\s\\S]*?path: /q/health/live")
                .containsPattern("readinessProbe:[\\s\\S]*?path: /q/health/ready")
                .containsPattern("name: QUARKUS_HTTP_HOST\\s+value: 0\\.0\\.0\\.0");
    }
}
