package dev.relay.gateway;

import dev.relay.account.Account;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * One provider's part of keeping an OAuth access token fresh ({@link RefreshingTokens} does the rest: when, the
 * lock, waiting for another instance). Claude, Gemini and OpenAI OAuth accounts each have one.
 *
 * @param <A> the provider's account type
 */
public interface TokenEndpoint<A extends Account> {
    /** The {@code <platform>} of the legacy's lock {@code token_refresh_lock:<platform>:<id>}. */
    String lockPlatform();

    String accessToken(A account);

    /** Access-token expiry, ms epoch; 0 when unknown (then it is refreshed). */
    long expiresAtMs(A account);

    /** The account as stored now (another instance may have refreshed it). */
    Future<Optional<A>> reread(String accountId);

    /**
     * Calls the provider's token endpoint with the account's refresh token and stores the new tokens in the legacy's
     * fields and format; completes with the account carrying them.
     */
    Future<A> refresh(A account);

    /** A refresh failed: mark the account as the legacy does (it leaves the pool). Never fails. */
    Future<Void> refreshFailed(A account, Throwable cause);
}
