package dev.strata.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link KafkaBroker} or {@link CassandraNode} parameter: inject a server of its own, started for
 * this test (or this test class, for a {@code @BeforeAll} parameter) and deleted after it, instead of
 * the one shared by the whole run. Use it when a test must not see other tests' data or must stop the
 * server in a way others would notice.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Fresh {}
