/** `npm run load -- --scenario <name> [--target URL] [--duration s] [--allow-remote] [--chunk-delay ms]` */
import { parseArgs } from "node:util";

export interface Options {
	scenario: string;
	target: string | undefined;
	durationS: number | undefined;
	allowRemote: boolean;
	/** Pacing of the local provider when the runner starts the product; 15 ms is the product's real pacing. */
	chunkDelayMs: number;
}

export const USAGE =
	"usage: npm run load -- --scenario <ramp-up|spike|stress|mixed> [--target URL] [--duration s] [--allow-remote] [--chunk-delay ms]";

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
		},
	});
	if (!values.scenario) throw new Error("--scenario is required");
	if (values.target !== undefined) {
		const protocol = new URL(values.target).protocol;
		if (protocol !== "http:" && protocol !== "https:") throw new Error(`--target must be an http(s) URL, got "${values.target}"`);
		// The pacing is a variable of the server this runner starts; an external target has its own.
		if (values["chunk-delay"] !== undefined) throw new Error("--chunk-delay applies only when the runner starts the product (no --target)");
	}
	return {
		scenario: values.scenario,
		target: values.target?.replace(/\/+$/, ""),
		durationS: number("duration", values.duration, 1, 86_400),
		allowRemote: values["allow-remote"] ?? false,
		chunkDelayMs: number("chunk-delay", values["chunk-delay"], 0, 5000) ?? 15,
	};
}
