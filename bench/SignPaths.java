import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.SignableRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Signs each request path of a file once with AK/SK, as the official SDK signs a GET (bench/run.sh, target S1a): a
 * signed GET is valid for its whole clock-skew window, as often as it is sent, so wrk replays these. Writes one line
 * per path: the path, then each header to send as "Name: value", tab-separated (read by bench/rotate.lua).
 *
 * <p>Usage: {@code java -cp <the aksk jar> SignPaths.java BASE_URL AK SK PATHS_FILE OUT_FILE}; BASE_URL's host and port
 * are signed as the Host header wrk sends.
 */
public class SignPaths {
    public static void main(String[] args) throws IOException {
        String base = args[0];
        AkskSigner signer = new AkskSigner();
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder();
        for (String path : Files.readAllLines(Path.of(args[3]))) {
            if (path.isEmpty()) {
                continue;
            }
            SignableRequest request = SignableRequest.of("GET", URI.create(base + path), Map.of(), new byte[0]);
            Map<String, String> headers = signer.sign(request, args[1], args[2], now);
            out.append(path);
            headers.forEach((name, value) -> out.append('\t').append(name).append(": ").append(value));
            out.append('\n');
        }
        Files.writeString(Path.of(args[4]), out);
    }
}
