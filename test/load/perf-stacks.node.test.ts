/**
 * Reading perf's stacks of a workerd thread (load/lib/perf-stacks.ts, bench:perf): each sample goes
 * to the garbage collector when it was collecting, else to the outermost script on its stack or to
 * what it did with no JavaScript on it, and to the innermost frame of the bundle asked about,
 * whatever but a collection ran under that frame.
 */
import { describe, expect, it } from "vitest";
import { byInnermostFunction, byOutermostScript, GARBAGE_COLLECTOR, jsFrame, parseStacks } from "../../load/lib/perf-stacks";

// Five samples as `perf script -F ip,sym` prints them: innermost frame first, a blank line after each.
// The last two collect garbage: one under the bundle's frames (an allocation found the heap full), one
// sweeping the runtime's C++ heap with no JavaScript on the stack.
const OUTPUT = `
	    7f0 sqlite3VdbeExec
	    7f1 workerd::api::SqlStorage::exec
	    7f2 JS:+'append index.js:36294:9
	    7f3 JS:*complete index.js:37161:3
	    7f4 JS:~'outcome collector.worker.js:210:16

	    8a0 Builtins_StringPrototypeReplace
	    8a1 JS:^push index.js:21391:7

	    9b0 fsync
	    9b1 sqlite3WalCheckpoint
	    9b2 workerd::ActorSqlite::~ActorSqlite

	    aa0 v8::internal::MarkCompactCollector::ProcessMarkingWorklist
	    aa1 v8::internal::Heap::CollectGarbage
	    aa2 JS:*inst._zod.parse index.js:3401:5
	    aa3 JS:~'outcome collector.worker.js:210:16

	    bb0 tcmalloc::tcmalloc_internal::ThreadCache::ReleaseToTransferCache
	    bb1 cppgc::internal::Sweeper::SweeperImpl::Finish
`;

describe("perf stacks", () => {
	it("names a JavaScript frame by function, script and line, whatever tier marks it, and nothing else", () => {
		expect(jsFrame("JS:*'memoryKey index.js:23986:19")).toEqual({ name: "memoryKey", script: "index.js", line: 23986 });
		expect(jsFrame("JS:+ index.js:32823:36")).toEqual({ name: "(anonymous)", script: "index.js", line: 32823 });
		expect(jsFrame("v8::internal::Heap::CollectGarbage")).toBeUndefined();
	});

	it("names frames of ES module scripts too: Miniflare's asset router is router-worker.mjs", () => {
		expect(jsFrame("JS:~routeToUserWorker router-worker.mjs:1779:31")).toEqual({
			name: "routeToUserWorker",
			script: "router-worker.mjs",
			line: 1779,
		});
		expect(jsFrame("JS:~ router-worker.mjs:1791:148")).toEqual({ name: "(anonymous)", script: "router-worker.mjs", line: 1791 });
	});

	it("splits perf's output into one stack per sample, innermost first", () => {
		const stacks = parseStacks(OUTPUT);
		expect(stacks.map((s) => s.length)).toEqual([5, 2, 3, 4, 2]);
		expect(stacks[0]?.[0]).toBe("sqlite3VdbeExec");
	});

	it("counts each sample once: a collection as the collector's wherever it ran, else for its outermost script or what it did without JavaScript", () => {
		expect(Object.fromEntries(byOutermostScript(parseStacks(OUTPUT)))).toEqual({
			"collector.worker.js": 1,
			"index.js": 1,
			"(no JavaScript) SQLite": 1,
			[GARBAGE_COLLECTOR]: 2,
		});
	});

	it("charges a bundle's innermost function with the native work under it but a collection, and skips samples outside the bundle", () => {
		expect(Object.fromEntries(byInnermostFunction(parseStacks(OUTPUT), "index.js"))).toEqual({ "append:36294": 1, "push:21391": 1 });
		expect(byInnermostFunction(parseStacks(OUTPUT), "worker.js").size).toBe(0);
	});
});
