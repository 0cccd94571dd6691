package dev.pooltasks.domain.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a record whose equals and hashCode are written out (see TaskStatus) against what the generated ones would do:
 * equal when every component is equal, unequal when any one differs.
 */
public final class ComponentWiseEquality {
    private ComponentWiseEquality() {
    }

    /**
     * @param values    the components of one instance, in declaration order
     * @param otherValues for each component, a different value (null allowed where the component is nullable)
     */
    public static <R extends Record> void assertComponentWise(Class<R> type, Object[] values, Object[] otherValues) {
        RecordComponent[] components = type.getRecordComponents();
        assertThat(values).as("one value per component of %s", type.getSimpleName()).hasSameSizeAs(components);
        assertThat(otherValues).as("one other value per component of %s", type.getSimpleName())
                .hasSameSizeAs(components);
        R one = create(type, values);
        R same = create(type, values.clone());
        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(null).isNotEqualTo(new Object());
        for (int i = 0; i < components.length; i++) {
            Object[] changed = values.clone();
            changed[i] = otherValues[i];
            R other = create(type, changed);
            assertThat(other).as("%s differing only in %s", type.getSimpleName(), components[i].getName())
                    .isNotEqualTo(one);
            assertThat(one).as("%s differing only in %s", type.getSimpleName(), components[i].getName())
                    .isNotEqualTo(other);
            R otherAgain = create(type, changed.clone());
            assertThat(other).isEqualTo(otherAgain).hasSameHashCodeAs(otherAgain);
        }
    }

    private static <R> R create(Class<R> type, Object[] values) {
        Class<?>[] parameterTypes = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new AssertionError("could not create " + type.getSimpleName() + Arrays.toString(values),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
