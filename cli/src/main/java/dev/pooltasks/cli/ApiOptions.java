package dev.pooltasks.cli;

import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where every command calls and as whom: {@code --endpoint}, {@code --project}, {@code --token} and, for an https://
 * endpoint whose certificate a private CA issued, {@code --ca-cert}.
 */
final class ApiOptions {
    /** What every command's help says of credentials and their variables. */
    static final String CREDENTIALS_HELP = "Credentials: --token or PTCLI_AUTH_TOKEN sends an X-Auth-Token; otherwise "
            + "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys) sign "
            + "each request with AK/SK exactly as the official Huawei Cloud SDKs do; with neither, requests carry no "
            + "credentials.";
    /** The variables, for every command's help footer (one constant: annotations take no array built of others). */
    static final String ENVIRONMENT_HELP =
            "  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK  sign with this access and secret key%n"
            + "  HUAWEICLOUD_SDK_SECURITY_TOKEN          the security token of temporary keys%n"
            + "  HUAWEICLOUD_SDK_PROJECT_ID              the default --project%n"
            + "  PTCLI_AUTH_TOKEN                        an X-Auth-Token, used instead of AK/SK%n"
            + "  PTCLI_CA_CERT                           the default --ca-cert%n"
            + "  NO_COLOR                                no colours, even on a terminal";

    /** The variable naming a default --ca-cert file. */
    static final String CA_CERT_VARIABLE = "PTCLI_CA_CERT";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The API of one project at one endpoint, with the credentials to send.
     *
     * @param baseUri     the endpoint without a trailing "/", named in connection failures
     * @param projectId   the project
     * @param api         the generated client, sending through {@link ApiTransport}
     * @param environment where progress and failures are told
     */
    record Connection(String baseUri, String projectId, DesktopPoolScriptTasksApi api, CliEnvironment environment) {

        /** The tasks {@code filter} selects, read through this connection. */
        TaskSource tasks(TaskFilter filter) {
            return new TaskSource(api, projectId, filter, environment.clock(), environment.sleeper(),
                    new Progress(environment.err(), environment.stderrIsTerminal()));
        }

        /**
         * Tells a failed call on standard error, in one line.
         *
         * @param expected what the answer should have been ("a page of tasks"), named when it is unreadable
         * @return the exit code it makes
         */
        int failed(ApiException e, String expected) {
            ApiFailure failure = ApiFailure.of(e, baseUri, expected);
            environment.err().println("pooltasks: " + failure.message());
            environment.err().flush();
            return failure.exitCode();
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--endpoint", paramLabel = "URL", order = 1, defaultValue = "http://localhost:8080",
            description = "base URL of pooltasks or of a Workspace region endpoint (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--project", paramLabel = "ID", order = 2,
            description = "project id (default: $" + Credentials.PROJECT_ID_VARIABLE + ")")
    String project;

    @Option(names = "--token", paramLabel = "TOKEN", order = 3,
            description = "X-Auth-Token to send (default: $" + Credentials.TOKEN_VARIABLE
                    + "; prefer the variable: other users can read a command line)")
    String token;

    @Option(names = "--ca-cert", paramLabel = "FILE", order = 4,
            description = "PEM file of the certificates to trust for https:// instead of the JVM's (a private CA, "
                    + "or the server's own self-signed one; default: $" + CA_CERT_VARIABLE + ")")
    Path caCert;

    /**
     * The connection the options and the environment describe.
     *
     * @throws ParameterException (a usage error, nothing sent) if they are missing or unusable
     */
    Connection connect(CliEnvironment environment) {
        String projectId = project != null ? project : environment.variable(Credentials.PROJECT_ID_VARIABLE);
        if (projectId == null || projectId.isBlank()) {
            throw usage("Missing the project: give --project ID or set " + Credentials.PROJECT_ID_VARIABLE);
        }
        if (!projectId.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            throw usage("--project must not contain spaces or control characters");
        }
        String baseUri = baseUri(endpoint);
        Credentials credentials;
        try {
            credentials = Credentials.resolve(token, environment);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        String caCertVariable = environment.variable(CA_CERT_VARIABLE);
        Path trusted = caCert != null ? caCert
                : caCertVariable != null && !caCertVariable.isBlank() ? Path.of(caCertVariable) : null;
        SSLContext tls;
        try {
            tls = trusted == null ? null : TrustedCertificates.sslContext(trusted);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        HttpClient transport = ApiTransport.create(credentials, projectId, environment.clock(), CONNECT_TIMEOUT, tls);
        // The generated client sends through the transport, which adds the SDK's headers and the credentials.
        ApiClient client = new ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return transport;
            }
        };
        client.updateBaseUri(baseUri);
        client.setReadTimeout(ANSWER_TIMEOUT);
        return new Connection(baseUri, projectId, new DesktopPoolScriptTasksApi(client), environment);
    }

    /** The endpoint without a trailing "/": http or https, a host, no user info, query or fragment. */
    private String baseUri(String value) {
        try {
            URI uri = new URI(value.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw usage("--endpoint must be an http or https URL with a host and nothing after the path, "
                        + "e.g. https://workspace.cn-north-4.myhuaweicloud.com");
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw usage("--endpoint is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
