package dev.pooltasks.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version the build wrote into {@code version.properties}, for {@code --version} and the User-Agent. */
final class CliVersion {
    static final String VERSION = load();

    private CliVersion() {
    }

    /** {@code pooltasks-cli/<version>}: the User-Agent of every request (signed, as the SDK signs its own). */
    static String userAgent() {
        return "pooltasks-cli/" + VERSION;
    }

    private static String load() {
        try (InputStream in = CliVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
