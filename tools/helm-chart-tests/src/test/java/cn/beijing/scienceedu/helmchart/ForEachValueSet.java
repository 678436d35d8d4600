package cn.beijing.scienceedu.helmchart;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs a check once per value set of {@link Renders#defaultAndProd()}. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("cn.beijing.scienceedu.helmchart.Renders#defaultAndProd")
@interface ForEachValueSet {
}
