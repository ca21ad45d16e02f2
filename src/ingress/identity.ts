/**
 * Identifying a new session (CONTRACT §2): a `userToken` the integrator's
 * backend signed is verified here, and only a verified token makes the
 * session identified. Every failure is a 401 that says what was wrong with
 * the token, and nothing about the key.
 */
import { USER_TOKEN_PROBLEMS, type VerifiedUser, verifyUserToken } from "../shared/identity/user-token";
import { HttpProblem } from "../shared/problem";
import type { Identity } from "../shared/schemas/identity";

/**
 * @example await identify(config.identitySecret, body.userToken) // { id: "usr_ada", name: "Ada Lovelace" }
 */
export async function identify(secret: string | undefined, token: string | undefined): Promise<Identity | undefined> {
	if (token === undefined) return undefined;
	if (secret === undefined) throw new HttpProblem(401, "This deployment does not accept user tokens (no IDENTITY_SECRET is configured).");
	const check = await verifyUserToken(secret, token);
	if (!check.ok) throw new HttpProblem(401, USER_TOKEN_PROBLEMS[check.reason]);
	return identityOf(check.user);
}

function identityOf(user: VerifiedUser): Identity {
	return { id: user.id, ...(user.name ? { name: user.name } : {}), ...(user.email ? { email: user.email } : {}) };
}
