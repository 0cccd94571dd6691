package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests the app build writes (app/target/kubernetes/kubernetes.yml), read as YAML, against what
 * the documented build produces (the Dockerfile) and the committed example of the Secret and ConfigMap they need; and
 * that example's configuration, given to the built jar as the pods give it, starting an authenticated instance.
 */
class KubernetesManifestTest {
    private static final Path MANIFEST = Path.of("../app/target/kubernetes/kubernetes.yml");
    private static final Path DOCKERFILE = Path.of("../app/src/main/docker/Dockerfile.jvm");
    private static final Path EXAMPLE = Path.of("../app/src/main/kubernetes/pooltasks-config.example.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int API_PORT = 8080;
    private static final int MANAGEMENT_PORT = 9000;

    private static Map<String, JsonNode> manifest;
    private static Map<String, JsonNode> example;
    private static JsonNode container;

    @BeforeAll
    static void readTheManifests() throws IOException {
        assertThat(MANIFEST).as("built by the app module's package phase").exists();
        manifest = byKind(MANIFEST);
        example = byKind(EXAMPLE);
        assertThat(manifest.get("Deployment").at("/spec/template/spec/containers")).hasSize(1);
        container = manifest.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void theManifestsAreADeploymentAndAServiceWithNothingThatNeedsExtraResourceDefinitions() {
        assertThat(manifest.keySet()).containsExactlyInAnyOrder("Deployment", "Service");
        assertThat(manifest.get("Deployment").at("/metadata/name").asText()).isEqualTo("pooltasks");
        assertThat(manifest.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void theDeploymentRunsTheImageTheDocumentedDockerBuildTagsAsBuiltLocally() throws IOException {
        Matcher build = Pattern.compile("docker build -f app/src/main/docker/Dockerfile\\.jvm -t (\\S+) \\.")
                .matcher(Files.readString(DOCKERFILE));
        assertThat(build.find()).as("the Dockerfile documents its build command").isTrue();

        assertThat(container.path("image").asText()).isEqualTo(build.group(1));
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    }

    @Test
    void theServiceExposesOnlyTheApiPort() {
        JsonNode service = manifest.get("Service");
        assertThat(service.at("/spec/ports")).hasSize(1);
        JsonNode port = service.at("/spec/ports/0");
        assertThat(port.path("name").asText()).isEqualTo("http");
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(API_PORT);
        assertThat(service.at("/spec/selector")).isEqualTo(manifest.get("Deployment").at("/spec/selector/matchLabels"));
        assertThat(containerPorts()).containsEntry("http", API_PORT).containsEntry("management", MANAGEMENT_PORT);
    }

    @Test
    void probesAndPrometheusUseTheManagementPortWhichListensBeyondLoopbackInThePods() {
        Map<String, String> probes = new LinkedHashMap<>();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").asInt()).as(probe).isEqualTo(MANAGEMENT_PORT);
            probes.put(probe, get.path("path").asText());
        }
        assertThat(probes).containsExactly(Map.entry("livenessProbe", "/q/health/live"),
                Map.entry("readinessProbe", "/q/health/ready"), Map.entry("startupProbe", "/q/health/started"));

        JsonNode annotations = manifest.get("Deployment").at("/spec/template/metadata/annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(MANAGEMENT_PORT));
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");

        assertThat(literalEnvironment()).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0")
                .containsEntry("QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
    }

    @Test
    void aPodReportsNotReadyForFiveSecondsOfItsThirtySecondGracePeriodBeforeItStops() {
        assertThat(literalEnvironment()).containsEntry("QUARKUS_SHUTDOWN_DELAY", "5s");
        JsonNode grace = manifest.get("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds");
        // Kubernetes' default, 30 s, unless the manifest says otherwise: room for the delay and the 10 s drain.
        assertThat(grace.isMissingNode() ? 30 : grace.asInt()).isGreaterThanOrEqualTo(5 + 10);
    }

    @Test
    void credentialsComeFromTheExampleSecretAndConfigurationFromTheExampleConfigMap() throws IOException {
        JsonNode spec = manifest.get("Deployment").at("/spec/template/spec");
        assertThat(container.path("envFrom")).hasSize(1);
        assertThat(container.at("/envFrom/0/secretRef/name").asText())
                .isEqualTo(example.get("Secret").at("/metadata/name").asText());

        assertThat(spec.path("volumes")).hasSize(1);
        JsonNode volume = spec.at("/volumes/0");
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(example.get("ConfigMap").at("/metadata/name").asText());
        assertThat(volume.at("/configMap/defaultMode").asInt() & 0444).as("readable by the container's user")
                .isEqualTo(0444);
        JsonNode mount = container.at("/volumeMounts/0");
        assertThat(mount.path("name").asText()).isEqualTo(volume.path("name").asText());
        // Quarkus reads config/application.properties relative to the working directory.
        assertThat(mount.path("mountPath").asText()).isEqualTo(workingDirectory() + "/config");

        Map<String, String> secrets = secretValues();
        assertThat(secrets).isNotEmpty();
        assertThat(secrets.values()).as("placeholders only").allSatisfy(value -> assertThat(value).startsWith("REPLACE-ME"));
        String properties = example.get("ConfigMap").at("/data/application.properties").asText();
        Set<String> referenced = new TreeSet<>();
        Matcher expression = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(properties);
        while (expression.find()) {
            referenced.add(expression.group(1));
        }
        assertThat(referenced).as("every ${...} resolves from a Secret key").isNotEmpty()
                .isSubsetOf(secrets.keySet());
        assertThat(secrets.keySet()).as("every Secret key is used").isSubsetOf(referenced);
        assertThat(properties).doesNotContainPattern("(secret-key|value)=(?!\\$\\{)\\S");
    }

    @Test
    void theExampleConfigurationGivenAsInThePodsStartsAnInstanceThatAuthenticatesCallers(@TempDir Path config)
            throws Exception {
        Path file = config.resolve("application.properties");
        Files.writeString(file, example.get("ConfigMap").at("/data/application.properties").asText());
        Map<String, String> environment = literalEnvironment();
        RunningPooltasks.Builder builder = RunningPooltasks.builder("k8s-example")
                .property("quarkus.config.locations", file.toUri().toString())
                .property("quarkus.http.host", environment.get("QUARKUS_HTTP_HOST"))
                .property("quarkus.management.host", environment.get("QUARKUS_MANAGEMENT_HOST"));
        secretValues().forEach(builder::env);

        try (RunningPooltasks app = builder.start()) {
            String token = secretValues().get("PT_CALLER_TOKEN");
            assertThat(status(app, null)).isEqualTo(401);
            assertThat(status(app, token)).isEqualTo(200);
            assertThat(app.logText()).contains("caller authentication: aksk (1 access keys), token (1 tokens)");
            HttpResponse<String> ready = JdkHttp.client().send(HttpRequest.newBuilder(
                    URI.create(app.managementUri() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    private static int status(RunningPooltasks app, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/"
                + RunningPooltasks.PROJECT_ID + "/desktop-pools/script-execution-tasks/detail?limit=1"))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return JdkHttp.client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Map<String, JsonNode> byKind(Path file) throws IOException {
        Map<String, JsonNode> kinds = new LinkedHashMap<>();
        List<JsonNode> documents = new ArrayList<>();
        YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).forEachRemaining(documents::add);
        for (JsonNode document : documents) {
            if (!document.isNull() && !document.isMissingNode()) {
                assertThat(kinds.put(document.path("kind").asText(), document)).as("one %s in %s",
                        document.path("kind").asText(), file).isNull();
            }
        }
        return kinds;
    }

    private static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
        return ports;
    }

    private static Map<String, String> literalEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        StreamSupport.stream(container.path("env").spliterator(), false).filter(variable -> variable.has("value"))
                .forEach(variable -> environment.put(variable.path("name").asText(), variable.path("value").asText()));
        return environment;
    }

    private static Map<String, String> secretValues() {
        Map<String, String> values = new LinkedHashMap<>();
        example.get("Secret").path("stringData").fields()
                .forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }

    private static String workingDirectory() throws IOException {
        Matcher workdir = Pattern.compile("(?m)^WORKDIR (\\S+)$").matcher(Files.readString(DOCKERFILE));
        assertThat(workdir.find()).as("the Dockerfile sets a working directory").isTrue();
        return workdir.group(1);
    }
}
