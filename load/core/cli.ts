/** `npm run load -- --scenario <name> [--target URL] [--duration s] [--allow-remote] [--profile name] [--chunk-delay ms]` */
import { parseArgs } from "node:util";
import { LOCAL_AI_PROFILES, type LocalAiProfile } from "../../src/shared/config";

export interface Options {
	scenario: string;
	target: string | undefined;
	durationS: number | undefined;
	allowRemote: boolean;
	/** The local provider's profile when the runner starts the product: instant, demo (the default) or realistic. */
	profile: LocalAiProfile;
	/** Overrides the profile's pause between chunks. */
	chunkDelayMs: number | undefined;
}

export const USAGE =
	"usage: npm run load -- --scenario <ramp-up|spike|stress|mixed> [--target URL] [--duration s] [--allow-remote] [--profile instant|demo|realistic] [--chunk-delay ms]";

function number(name: string, raw: string | undefined, min: number, max: number): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < min || value > max)
		throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
	return value;
}

export function parseOptions(args: string[]): Options {
	const { values } = parseArgs({
		args,
		strict: true,
		options: {
			scenario: { type: "string" },
			target: { type: "string" },
			duration: { type: "string" },
			"allow-remote": { type: "boolean", default: false },
			"chunk-delay": { type: "string" },
			profile: { type: "string" },
		},
	});
	if (!values.scenario) throw new Error("--scenario is required");
	if (values.target !== undefined) {
		const protocol = new URL(values.target).protocol;
		if (protocol !== "http:" && protocol !== "https:") throw new Error(`--target must be an http(s) URL, got "${values.target}"`);
		// The pacing is a variable of the server this runner starts; an external target has its own.
		if (values["chunk-delay"] !== undefined || values.profile !== undefined)
			throw new Error("--profile and --chunk-delay apply only when the runner starts the product (no --target)");
	}
	return {
		scenario: values.scenario,
		target: values.target?.replace(/\/+$/, ""),
		durationS: number("duration", values.duration, 1, 86_400),
		allowRemote: values["allow-remote"] ?? false,
		profile: profileOf(values.profile),
		chunkDelayMs: number("chunk-delay", values["chunk-delay"], 0, 5000),
	};
}

function profileOf(raw: string | undefined): LocalAiProfile {
	if (raw === undefined) return "demo";
	const found = Object.keys(LOCAL_AI_PROFILES).find((name): name is LocalAiProfile => name === raw);
	if (!found) throw new Error(`--profile must be one of ${Object.keys(LOCAL_AI_PROFILES).join(", ")}, got "${raw}"`);
	return found;
}
