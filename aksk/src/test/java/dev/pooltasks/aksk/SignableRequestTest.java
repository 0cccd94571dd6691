package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request keeps one unmodifiable, case-insensitive copy of the headers it is given. */
class SignableRequestTest {

    @Test
    void headersAreACaseInsensitiveCopyWithNamesThatDifferInCaseMerged() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        List<String> values = new ArrayList<>(List.of("1"));
        given.put("X-A", values);
        given.put("x-a", List.of("2", "3"));
        given.put("Host", List.of("h"));

        SignableRequest request = new SignableRequest("get", "/", null, given, null);
        values.add("changed later");
        given.put("X-B", List.of("added later"));

        assertThat(request.headerValues("X-A")).containsExactly("1", "2", "3");
        assertThat(request.headerValues("HOST")).containsExactly("h");
        assertThat(request.headers()).containsOnlyKeys("X-A", "Host");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawQuery()).isEmpty();
        assertThat(request.body()).isEmpty();
    }

    @Test
    void headersAndTheirValuesCannotBeChanged() {
        SignableRequest request = new SignableRequest("GET", "/", "", Map.of("Host", new ArrayList<>(List.of("h"))),
                null);

        assertThatThrownBy(() -> request.headers().put("X", List.of("y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.headerValues("Host").add("other"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(request.withHeaders(Map.of("host", "h2")).headerValues("Host")).containsExactly("h2");
        assertThat(request.headerValues("Host")).containsExactly("h");
    }

    @Test
    void nullNamesListsAndValuesAreRefused() {
        Map<String, List<String>> nullName = new LinkedHashMap<>();
        nullName.put(null, List.of("v"));
        Map<String, List<String>> nullList = new LinkedHashMap<>();
        nullList.put("X", null);
        Map<String, List<String>> nullValue = Map.of("X", Arrays.asList("v", null));

        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullName, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header name");
        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullList, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header values");
        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullValue, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header value");
    }

    @Test
    void theBodyIsCopiedBothWays() {
        byte[] body = {1, 2, 3};
        SignableRequest request = new SignableRequest("POST", "/", "", Map.of("Host", List.of("h")), body);
        body[0] = 9;
        request.body()[1] = 9;

        assertThat(request.body()).containsExactly(1, 2, 3);
    }
}
