package dev.bakecache.engine.verify;

/**
 * A finding whose file is still to be moved to quarantine: kept in the {@link VerifyProgress}
 * saved before the move, so a run killed in between moves it on resume and loses no finding.
 *
 * @param subject the blob hash or action key, which hold no white space
 */
public record PendingQuarantine(Finding.Problem problem, String subject) {

    static PendingQuarantine of(Finding finding) {
        return new PendingQuarantine(finding.problem(), finding.subject());
    }

    /** {@code PROBLEM:subject}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return problem.name() + ":" + subject;
    }

    static PendingQuarantine parse(String text) {
        int colon = text.indexOf(':');
        return new PendingQuarantine(Finding.Problem.valueOf(text.substring(0, colon)), text.substring(colon + 1));
    }
}
