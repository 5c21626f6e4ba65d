package dev.bakecache.engine.verify;

import java.nio.file.Path;

/**
 * One problem verify found.
 *
 * @param problem     what is wrong
 * @param subject     the blob hash or action key
 * @param detail      why, in words
 * @param quarantined where the bad file was moved, or null when it was left in place
 */
public record Finding(Problem problem, String subject, String detail, Path quarantined) {

    public enum Problem {
        /** A whole-file blob whose bytes do not decode or hash to its name. */
        CORRUPT_BLOB("corrupt blob"),
        /** A chunk whose bytes do not decode or hash to its name. */
        CORRUPT_CHUNK("corrupt chunk"),
        /** A manifest that is malformed, unsigned or wrongly signed; restores refuse it already. */
        INVALID_MANIFEST("invalid manifest"),
        /** A valid manifest naming blobs or chunks the tier does not hold (ADR 0003's invariant broken). */
        INCOMPLETE_MANIFEST("incomplete manifest");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Finding {
        // exception messages may span lines; a finding is one line of a report
        detail = detail == null ? "" : detail.replaceAll("\\s*\\R\\s*", " ");
    }

    /** One line, e.g. {@code corrupt blob 3fa2...: hashes to 91c0... (moved to /c/quarantine/blobs/3fa2...)}. */
    @Override
    public String toString() {
        return problem.label() + " " + subject + ": " + detail
                + (quarantined == null ? " (left in place)" : " (moved to " + quarantined + ")");
    }
}
