package dev.lapstream.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for whole-number options, so a negative or zero count is refused while the command line is parsed. */
final class Counts {

    private Counts() {
    }

    /** 1 or more. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = parse(value);
            if (n < 1) {
                throw new TypeConversionException("'" + value + "' must be a whole number of at least 1");
            }
            return n;
        }
    }

    /** 0 or more (0 usually meaning "automatic" or "off"). */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = parse(value);
            if (n < 0) {
                throw new TypeConversionException("'" + value + "' must be a whole number of at least 0");
            }
            return n;
        }
    }

    private static int parse(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }
}
