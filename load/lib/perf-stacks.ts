/**
 * Reads `perf script -F ip,sym` output of one workerd thread, recorded with
 * V8's perf map (`--perf-basic-prof --interpreted-frames-native-stack`, so
 * JavaScript frames carry their function, file and line), and says where the
 * thread's time went: by the outermost script on each stack (the Worker's
 * bundle, or one of Miniflare's own services running on the same thread) or
 * the garbage collector wherever it ran, and by the innermost function of one
 * script, callees outside it included (what a function costs with the runtime
 * calls it makes). The V8 inspector's sampler sees JavaScript only; this sees
 * the native time too (SQLite, RPC, the garbage collector), on the thread that
 * bounds throughput.
 */

/** One sample: its frames' symbols, innermost first. */
export type Stack = string[];

/** A JavaScript frame as V8's perf map names it: `JS:*name file.js:line:column` (the mark says which tier); Miniflare's asset router and proxy are `.mjs` modules. */
const JS_FRAME = /^JS:[*+~^]?'?(.*?) ([\w.-]+\.m?js):(\d+)/;

export interface JsFrame {
	name: string;
	script: string;
	line: number;
}

export function jsFrame(symbol: string): JsFrame | undefined {
	const match = JS_FRAME.exec(symbol);
	if (!match) return undefined;
	return { name: match[1] || "(anonymous)", script: match[2] ?? "", line: Number(match[3]) };
}

/** Splits `perf script -F ip,sym` output into stacks: one block of "address symbol" lines per sample. */
export function parseStacks(output: string): Stack[] {
	const stacks: Stack[] = [];
	let current: Stack = [];
	for (const raw of output.split("\n")) {
		const line = raw.trim();
		if (line === "") {
			if (current.length > 0) stacks.push(current);
			current = [];
			continue;
		}
		const space = line.indexOf(" ");
		current.push(space === -1 ? "" : line.slice(space + 1));
	}
	if (current.length > 0) stacks.push(current);
	return stacks;
}

/**
 * A collection of either heap: V8's, or the C++ heap (cppgc) that holds the runtime's objects.
 * A collection runs wherever an allocation finds the heap full, often under the Worker's own
 * frames: a stall of 50–80 ms under a zod parse was one (docs/benchmarks.md, "Twelfth round").
 */
const COLLECTING =
	/v8::internal::Heap::|Scavenger|MarkCompact|MinorMarkSweep|IncrementalMarking|ConcurrentMarking|cppgc::internal::(?:Sweeper|Marker|HeapVisitor)/;

/** The label of samples that were collecting garbage, wherever the collection ran. */
export const GARBAGE_COLLECTOR = "garbage collector";

function collecting(stack: Stack): boolean {
	return stack.some((symbol) => COLLECTING.test(symbol));
}

/**
 * Samples by the outermost script on their stack; stacks with no JavaScript by what they were
 * doing; and stacks that were collecting garbage as GARBAGE_COLLECTOR, whoever's allocation
 * started the collection (a script is not charged for the heap's pauses).
 */
export function byOutermostScript(stacks: readonly Stack[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const stack of stacks) {
		if (collecting(stack)) {
			counts.set(GARBAGE_COLLECTOR, (counts.get(GARBAGE_COLLECTOR) ?? 0) + 1);
			continue;
		}
		let outer: string | undefined;
		for (const symbol of stack) outer = jsFrame(symbol)?.script ?? outer;
		const key = outer ?? `(no JavaScript) ${nativeKind(stack)}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

/**
 * Samples by the innermost frame of `script` on their stack (`name:line`), whatever native or
 * other code ran under it but a garbage collection (counted by `byOutermostScript` on its own).
 */
export function byInnermostFunction(stacks: readonly Stack[], script: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const stack of stacks) {
		if (collecting(stack)) continue;
		for (const symbol of stack) {
			const frame = jsFrame(symbol);
			if (frame?.script !== script) continue;
			const key = `${frame.name}:${frame.line}`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
			break;
		}
	}
	return counts;
}

function nativeKind(stack: Stack): string {
	if (stack.some((s) => /sqlite3|ActorSqlite|SqliteDatabase/.test(s))) return "SQLite";
	return "runtime and I/O";
}
