package dev.pooltasks.cli;

import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.SignableRequest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The HTTP client the generated pooltasks-client sends through. For each request it
 *
 * <ul>
 *   <li>sends the official SDK's headers: {@code User-Agent}, {@code X-Project-Id}, {@code Content-Type:
 *       application/json} (on GET too) and no {@code Accept} (which the generated client adds), so that a signed
 *       request is signed over exactly {@code host;user-agent;x-project-id;x-sdk-date} (plus
 *       {@code x-security-token} for temporary keys), as the SDK signs it;</li>
 *   <li>adds the credentials: {@code X-Auth-Token}, or {@code X-Sdk-Date} and {@code Authorization} from
 *       {@link AkskSigner}, computed over the request as it is sent, at the moment it is sent.</li>
 * </ul>
 *
 * Only the synchronous {@link #send} is supported: it is all the generated client uses.
 */
final class ApiTransport extends HttpClient {
    private final HttpClient delegate;
    private final Credentials credentials;
    private final String projectId;
    private final Clock clock;
    private final AkskSigner signer = new AkskSigner();

    ApiTransport(HttpClient delegate, Credentials credentials, String projectId, Clock clock) {
        this.delegate = delegate;
        this.credentials = credentials;
        this.projectId = projectId;
        this.clock = clock;
    }

    /**
     * A client for {@code credentials}: HTTP/1.1 as the SDK speaks it, with a connect timeout, and TLS trusting what
     * {@code tls} trusts (null: the JVM's default).
     */
    static ApiTransport create(Credentials credentials, String projectId, Clock clock, Duration connectTimeout,
                               SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        HttpClient http = builder.build();
        return new ApiTransport(http, credentials, projectId, clock);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(prepare(request), handler);
    }

    /** The request as it goes on the wire: the SDK's headers and the credentials. */
    HttpRequest prepare(HttpRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Accept"))
                .setHeader("User-Agent", CliVersion.userAgent())
                .setHeader("X-Project-Id", projectId)
                .setHeader("Content-Type", "application/json");
        if (credentials instanceof Credentials.Token token) {
            builder.setHeader("X-Auth-Token", token.value());
        } else if (credentials instanceof Credentials.AccessKey keys) {
            if (keys.securityToken() != null) {
                builder.setHeader(AkskSigner.HEADER_SECURITY_TOKEN, keys.securityToken());
            }
            HttpRequest unsigned = builder.build();
            SignableRequest signable = SignableRequest.of(unsigned.method(), unsigned.uri(),
                    unsigned.headers().map(), null);
            signer.sign(signable, keys.accessKey(), keys.secretKey(), clock.instant()).forEach(builder::setHeader);
        }
        return builder.build();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        throw new UnsupportedOperationException("only synchronous sends are supported");
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        throw new UnsupportedOperationException("only synchronous sends are supported");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
