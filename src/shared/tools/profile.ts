/**
 * An identified user's profile (CONTRACT §8): `GET /users/:id` on the back
 * office, cached a day per user (kind `profile`). A profile that cannot be
 * read leaves the turn without one: the assistant still answers, only not
 * by name.
 */
import type { TieredCache } from "../cache";
import { describeError } from "../errors";
import { profileKey } from "./account-cache";
import { type BackOffice, segment } from "./back-office";
import { type Profile, profileSchema } from "./registry";

export async function loadProfile(userId: string, backOffice: BackOffice, cache: TieredCache): Promise<Profile | undefined> {
	try {
		const text = await cache.getOrCompute(await profileKey(userId), "profile", async () =>
			JSON.stringify(await backOffice.get(`/users/${segment(userId)}`, profileSchema)),
		);
		return profileSchema.parse(JSON.parse(text));
	} catch (error) {
		// Only what failed, never the profile: it is the customer's data.
		console.warn(JSON.stringify({ event: "profile_unavailable", error: describeError(error) }));
		return undefined;
	}
}
