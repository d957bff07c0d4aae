package io.mlopscore.tracking.search;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import org.assertj.core.api.ThrowableAssert;

/** Asserts that something is refused as INVALID_PARAMETER_VALUE with a message holding the fragments. */
final class Invalid {
    private Invalid() {}

    static void assertInvalid(ThrowableAssert.ThrowingCallable call, String... fragments) {
        var assertion = assertThatThrownBy(call)
                .isInstanceOf(ApiException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ApiException) e).code())
                        .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        for (String fragment : fragments) {
            assertion.hasMessageContaining(fragment);
        }
    }
}
