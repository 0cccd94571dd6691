package dev.pooltasks.e2e;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that talks to the deployable artifact. The first such class starts one {@link RunningPooltasks}
 * for the whole test run; every class (and any test or lifecycle method) can take it as a parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PooltasksAppExtension.class)
public @interface PooltasksE2E {
}
