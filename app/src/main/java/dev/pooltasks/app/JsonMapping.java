package dev.pooltasks.app;

import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.pooltasks.adapter.in.rest.ContractOrder;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The one ObjectMapper reads every upstream answer and writes the statistics (pages have their own writer, PageEncoder
 * in adapters/rest, held to this mapper's bytes; error bodies too, ErrorResponses, which router handlers below JAX-RS
 * use). Blackbird gives it generated
 * lambdas instead of reflection to reach the generated DTOs' constructors and accessors (the profile of a gateway
 * request showed reflective access on both sides). {@link ContractOrder} writes the DTOs in the contract's field
 * order, so that an upstream's answer can be byte for byte ours and be forwarded.
 */
@Singleton
public class JsonMapping implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new BlackbirdModule());
        mapper.setAnnotationIntrospector(AnnotationIntrospector.pair(new ContractOrder(),
                mapper.getSerializationConfig().getAnnotationIntrospector()));
    }
}
