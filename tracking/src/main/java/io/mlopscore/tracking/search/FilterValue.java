package io.mlopscore.tracking.search;

import java.math.BigDecimal;
import java.util.List;

/** The right-hand side of a parsed search clause. */
public sealed interface FilterValue {

    /** The value to bind: a String, a Long or Double, or a List of Strings. */
    Object jdbcValue();

    /** Text from a 'single' or "double" quoted string, as written between the quotes. */
    record Text(String value) implements FilterValue {
        @Override
        public Object jdbcValue() {
            return value;
        }
    }

    /** A numeric literal. */
    record Number(BigDecimal value) implements FilterValue {
        public double asDouble() {
            return value.doubleValue();
        }

        /** A Long for an integral literal that fits, otherwise a Double: what integer columns compare best with. */
        @Override
        public Object jdbcValue() {
            try {
                return value.stripTrailingZeros().scale() <= 0 ? value.longValueExact() : value.doubleValue();
            } catch (ArithmeticException tooLarge) {
                return value.doubleValue();
            }
        }
    }

    /** The strings of an IN / NOT IN list. */
    record TextList(List<String> values) implements FilterValue {
        public TextList {
            values = List.copyOf(values);
        }

        @Override
        public Object jdbcValue() {
            return values;
        }
    }

    static Text text(String value) {
        return new Text(value);
    }

    static Number number(String literal) {
        return new Number(new BigDecimal(literal));
    }

    static TextList list(String... values) {
        return new TextList(List.of(values));
    }
}
