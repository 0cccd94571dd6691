package dev.pooltasks.adapter.in.rest;

import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * Writes the contract's generated DTOs in the contract's order (their fields' order), not with their constructor's
 * required properties first (Jackson's default): that is the order the API documents and upstreams write, so an
 * upstream's answer can be byte for byte ours and be forwarded as it came (the workspace client's CanonicalAnswer).
 * Paired with the application ObjectMapper's own introspector; Jackson matches the fields' names too.
 */
public final class ContractOrder extends NopAnnotationIntrospector {
    private static final String DTO_PACKAGE = ShowDesktopPoolsScriptExecTasksResponse.class.getPackageName();

    @Override
    public String[] findSerializationPropertyOrder(AnnotatedClass type) {
        Class<?> raw = type.getRawType();
        if (!raw.getPackageName().equals(DTO_PACKAGE)) {
            return null;
        }
        return Arrays.stream(raw.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .map(Field::getName)
                .toArray(String[]::new);
    }
}
