/** `resumeSession`: a stored session is reused while its token is fresh, and replaced (and stored) otherwise. */
import { describe, expect, it } from "vitest";
import { ChatApi, forgetSession, memoryStorage, resumeSession, SESSION_KEY } from "../../src/sdk";
import { fakeFetch, json } from "./fakes";

const fresh = { sessionId: "ses_new", token: "t2", expiresAt: new Date(Date.now() + 3_600_000).toISOString() };

describe("resumeSession", () => {
	it("reuses a stored session whose token is still fresh, without a request", async () => {
		const storage = memoryStorage();
		const stored = { sessionId: "ses_old", token: "t1", expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
		storage.setItem(SESSION_KEY, JSON.stringify(stored));
		const fake = fakeFetch();
		expect(await resumeSession(new ChatApi({ baseUrl: "http://chat.test", fetch: fake.fetch }), storage)).toEqual(stored);
		expect(fake.requests).toEqual([]);
	});

	it("creates and stores a new session when the stored token is about to expire or storage is corrupt", async () => {
		for (const value of [
			JSON.stringify({ sessionId: "ses_old", token: "t1", expiresAt: new Date(Date.now() + 1000).toISOString() }),
			"{not json",
		]) {
			const storage = memoryStorage();
			storage.setItem(SESSION_KEY, value);
			const api = new ChatApi({ baseUrl: "http://chat.test", fetch: fakeFetch(json(fresh, 201)).fetch });
			expect(await resumeSession(api, storage)).toEqual(fresh);
			expect(JSON.parse(storage.getItem(SESSION_KEY) ?? "null")).toEqual(fresh);
		}
	});

	it("forgets the stored session", () => {
		const storage = memoryStorage();
		storage.setItem(SESSION_KEY, JSON.stringify(fresh));
		forgetSession(storage);
		expect(storage.getItem(SESSION_KEY)).toBeNull();
	});
});
