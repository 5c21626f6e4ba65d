package dev.bakecache.jobs.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/**
 * Every path of the command line: an empty one is refused, since {@code Path.of("")} is the
 * working directory and {@code --dir "$OUT"} with {@code OUT} unset would aim the job at whatever
 * directory it was started in. A blank one is as surely a mistake. Picocli names the option.
 */
final class NonBlankPathConverter implements ITypeConverter<Path> {

    static final String BLANK = "empty path (an unset shell variable?)";

    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException(BLANK);
        }
        return Path.of(value);
    }
}
