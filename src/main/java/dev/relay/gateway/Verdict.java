package dev.relay.gateway;

/**
 * What an upstream answer means for one attempt, decided before anything reached the client: deliver it, try
 * another account after marking this one, or fail to the client with the upstream's answer (and maybe a mark).
 */
public record Verdict(Outcome outcome, AccountMark mark) {
    public enum Outcome { OK, TRY_ANOTHER, FAIL }

    public static final Verdict OK = new Verdict(Outcome.OK, AccountMark.NONE);
    /** The call never got an answer: the upstream was not reached, or did not answer in time. */
    public static Verdict noAnswer(boolean timedOut) {
        return new Verdict(Outcome.TRY_ANOTHER, timedOut ? AccountMark.TIMED_OUT : AccountMark.UNREACHABLE);
    }

    /**
     * The shared table from an upstream status (relay.md §7): 429, 529 and 5xx move on to another account, 401 fails
     * to the client and marks the account, every other status (the client's own 4xx) fails without a mark.
     */
    public static Verdict ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 429 -> new Verdict(Outcome.TRY_ANOTHER, AccountMark.RATE_LIMITED);
            case 529 -> new Verdict(Outcome.TRY_ANOTHER, AccountMark.OVERLOADED);
            case 401 -> new Verdict(Outcome.FAIL, AccountMark.UNAUTHORIZED);
            default -> status >= 500 ? new Verdict(Outcome.TRY_ANOTHER, AccountMark.TEMPORARILY_UNAVAILABLE)
                    : new Verdict(Outcome.FAIL, AccountMark.NONE);
        };
    }
}
