import { describe, expect, it } from "vitest";
import { signSessionToken, verifySessionToken } from "../../src/ingress/session-token";

const SECRET = "test-secret-that-is-long-enough-for-hmac";
const inOneHour = () => new Date(Date.now() + 3_600_000);

describe("session tokens", () => {
	it("verify for the session they were signed for", async () => {
		const token = await signSessionToken(SECRET, "ses_a", inOneHour());
		expect(await verifySessionToken(SECRET, token)).toEqual({ ok: true, sessionId: "ses_a" });
	});

	it("are refused once expired", async () => {
		const token = await signSessionToken(SECRET, "ses_a", new Date(Date.now() - 1000));
		expect(await verifySessionToken(SECRET, token)).toEqual({ ok: false, reason: "expired" });
	});

	it("are refused when signed with another secret", async () => {
		const token = await signSessionToken("another-secret-entirely-0123456789", "ses_a", inOneHour());
		expect(await verifySessionToken(SECRET, token)).toEqual({ ok: false, reason: "bad_signature" });
	});

	it("are refused when the session id is swapped", async () => {
		const token = await signSessionToken(SECRET, "ses_a", inOneHour());
		expect(await verifySessionToken(SECRET, token.replace("ses_a", "ses_b"))).toEqual({ ok: false, reason: "bad_signature" });
	});

	it("are refused when the expiry is extended", async () => {
		const [v, id, , sig] = (await signSessionToken(SECRET, "ses_a", inOneHour())).split(".");
		expect(await verifySessionToken(SECRET, `${v}.${id}.9999999999.${sig}`)).toEqual({ ok: false, reason: "bad_signature" });
	});

	it("verified once, are still refused once expired, and under another secret", async () => {
		const expiresAt = inOneHour();
		const token = await signSessionToken(SECRET, "ses_a", expiresAt);
		expect(await verifySessionToken(SECRET, token)).toEqual({ ok: true, sessionId: "ses_a" });
		// The isolate remembers the checked signature: the expiry and the secret still count on every use.
		expect(await verifySessionToken(SECRET, token, expiresAt.getTime() + 1000)).toEqual({ ok: false, reason: "expired" });
		expect(await verifySessionToken("another-secret-entirely-0123456789", token)).toEqual({ ok: false, reason: "bad_signature" });
		expect(await verifySessionToken(SECRET, token)).toEqual({ ok: true, sessionId: "ses_a" });
	});

	it.each(["", "garbage", "v2.ses_a.1.sig", "v1.ses_a.notanumber.sig", "v1.ses_a.1.!!!", "v1.a.b.c.d", "v1.ses_x.1.AAAAA", "v1.ses_x.1.A"])(
		"treat %j as malformed",
		async (token) => {
			expect(await verifySessionToken(SECRET, token)).toEqual({ ok: false, reason: "malformed" });
		},
	);
});
