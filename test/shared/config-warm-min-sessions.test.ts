/**
 * WARM_MIN_SESSIONS: how many sessions must have asked a question before
 * QuestionStats keeps its text and the hourly cron warms it (issue 17).
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/shared/config";

const DEV = { ENVIRONMENT: "development", AI_PROVIDER: "local" };

describe("WARM_MIN_SESSIONS", () => {
	it("defaults to 3 sessions", () => {
		expect(parseConfig(DEV).warmMinSessions).toBe(3);
	});

	it("takes a whole number of sessions from the env", () => {
		expect(parseConfig({ ...DEV, WARM_MIN_SESSIONS: "10" }).warmMinSessions).toBe(10);
	});

	it.each(["0", "-1", "2.5", "three"])("refuses %s", (value) => {
		expect(() => parseConfig({ ...DEV, WARM_MIN_SESSIONS: value })).toThrow(ConfigError);
	});
});
