package dev.pooltasks.app;

import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * The one ObjectMapper reads every upstream answer and writes every page we answer (error bodies have their own small
 * writer, ErrorResponses in adapters/rest, which router handlers below JAX-RS use too). Blackbird gives it generated
 * lambdas instead of reflection to reach the generated DTOs' constructors and accessors (the profile of a gateway
 * request showed reflective access on both sides).
 *
 * <p>The contract's DTOs are written in the contract's order (their fields' order), not with their constructor's
 * required properties first (Jackson's default): that is the order the API documents and upstreams write, so an
 * upstream's answer can be byte for byte ours and be forwarded as it came (the workspace client's CanonicalAnswer).
 */
@Singleton
public class JsonMapping implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new BlackbirdModule());
        mapper.setAnnotationIntrospector(AnnotationIntrospector.pair(new ContractOrder(),
                mapper.getSerializationConfig().getAnnotationIntrospector()));
    }

    /** A generated DTO's properties in the order of its fields (Jackson matches the fields' names too). */
    static final class ContractOrder extends NopAnnotationIntrospector {
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
}
