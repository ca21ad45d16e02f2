/**
 * A signed-in user's turn (CONTRACT §8): the model is offered the
 * back-office tools and may call them, over several rounds, before it
 * answers. Reads run at once; a write is checked (its invoice must be the
 * user's), then proposed to the user and the turn waits, `confirming`, with
 * the call's state durable in the hub. A later attempt of the same turn
 * (after the user's answer, a crash or a re-drive) starts from the calls the
 * hub recorded: an approved write is sent, with its call id as
 * `Idempotency-Key`, so the back office acts on it once whatever repeats;
 * one still pending when the attempt starts is cancelled (its time ran out,
 * or the user wrote something else instead of answering).
 *
 * The model never names the user: the executor acts for the verified one.
 * Arguments are parsed with each tool's schema before anything runs; a
 * malformed call gets `invalid_arguments` back and reaches no one.
 */
import type { AiProvider, ChatMessage, Source } from "../ai/provider";
import type { ToolCall } from "../ai/tool-calls";
import { canonicalJson } from "../cache";
import { TransientError } from "../errors";
import { newId } from "../ids";
import type { ToolCallState } from "../schemas/accounts";
import type { Message, ToolUse } from "../schemas/message";
import type { ToolExecutor } from "../tools/executor";
import { TOOL_SPECS, toolNamed } from "../tools/registry";
import type { CachedAnswer } from "./answer-cache";
import { citationsFor } from "./citations";
import type { ReplySink } from "./delta-coalescer";
import { type AccountContext, buildModelInput } from "./prompt";
import { ReplySanitizer } from "./reply-sanitizer";

/** Rounds of calls a turn may make before the model must answer with what it has. */
export const MAX_TOOL_ROUNDS = 4;

/**
 * A tool call as the hub keeps it (tool-calls.ts in the session hub), its arguments and result as
 * JSON text: they cross RPC, and are parsed here, where they are used.
 */
export interface RecordedCall {
	callId: string;
	name: string;
	argsJson: string;
	status: ToolCallState;
	resultJson?: string;
}

/** A call as this turn works with it. */
interface Call {
	callId: string;
	name: string;
	args: unknown;
	status: ToolCallState;
	result?: unknown;
}

/** The hub's durable record of the turn's calls. */
export interface ToolLedger {
	/** The calls earlier attempts of this turn recorded, oldest first. */
	readonly recorded: readonly RecordedCall[];
	/** A call that ended without the user: a read, or a write refused before anyone was asked. */
	record(call: { callId: string; name: string; args: unknown; status: "done" | "failed"; result: unknown; attempts: number }): void;
	/** Stores a write pending the user's answer, and the turn waits (`confirming`); false when the turn is no longer this attempt's. */
	propose(call: { callId: string; name: string; args: unknown; summary: string }): Promise<boolean>;
	/** An approved write is about to be sent: counted before the request leaves, so a crash after it still shows. */
	sending(callId: string): void;
	/** How an approved or pending write ended; `extraAttempts`: retries within the call's deadline. */
	settle(callId: string, status: "done" | "failed" | "cancelled", result: unknown, extraAttempts: number): void;
}

export interface AccountPorts {
	account: AccountContext;
	tools: ToolExecutor;
	ledger: ToolLedger;
}

export type AccountReply = { kind: "answer"; answer: CachedAnswer & { tools: ToolUse[] } } | { kind: "confirming" };

type Turn = { summary: string | null; history: Message[] };

/**
 * Runs the turn's rounds; undefined once the turn is no longer ours.
 * @example await accountReply(turn, sources, provider, deltas, { account, tools, ledger }, signal)
 */
export async function accountReply(
	turn: Turn,
	sources: Source[],
	provider: AiProvider,
	sink: ReplySink,
	ports: AccountPorts,
	signal?: AbortSignal,
): Promise<AccountReply | undefined> {
	const calls: Call[] = ports.ledger.recorded.map(({ callId, name, argsJson, status, resultJson }) => ({
		callId,
		name,
		args: JSON.parse(argsJson),
		status,
		...(resultJson === undefined ? {} : { result: JSON.parse(resultJson) }),
	}));
	await settleRecorded(calls, ports);
	const input = buildModelInput({ summary: turn.summary, history: turn.history, sources, account: ports.account });
	const sanitizer = new ReplySanitizer(input.systemPrompt);
	const user = ports.account.name ? { name: ports.account.name } : {};
	for (let round = 0; ; round++) {
		signal?.throwIfAborted();
		let asked: ToolCall[] = [];
		// The last round offers no tools: the model answers with what the calls found.
		const tools = round < MAX_TOOL_ROUNDS ? { specs: TOOL_SPECS, called: (c: ToolCall[]) => (asked = c) } : undefined;
		const messages = [...input.messages, ...callMessages(calls)];
		for await (const chunk of provider.stream({
			messages,
			sources,
			maxTokens: input.maxTokens,
			signal,
			user,
			...(tools ? { tools } : {}),
		})) {
			signal?.throwIfAborted();
			const text = sanitizer.push(chunk);
			if (text) sink.add(text);
			if (!sink.owned) return undefined;
			if (sanitizer.full) break;
		}
		signal?.throwIfAborted();
		if (asked.length === 0 || sanitizer.full) break;
		const proposal = await runCalls(asked, calls, ports);
		if (proposal) {
			// Deltas held in the sink go out before the turn waits; then the hub stores the call and tells the tabs.
			if (!(await sink.flush())) return undefined;
			return (await ports.ledger.propose(proposal)) ? { kind: "confirming" } : undefined;
		}
	}
	const reply = sanitizer.finish();
	if (reply.tail) sink.add(reply.tail);
	if (!(await sink.flush())) return undefined;
	if (!reply.text) throw new TransientError("the model returned an empty reply");
	const tools = calls.flatMap((call): ToolUse[] =>
		isFinal(call.status) ? [{ callId: call.callId, name: call.name, status: call.status }] : [],
	);
	return { kind: "answer", answer: { text: reply.text, status: reply.status, citations: citationsFor(reply.text, sources), tools } };
}

type Proposal = Parameters<ToolLedger["propose"]>[0];

/**
 * Runs one round's calls in order: reads at once, the first write up to its proposal (the round
 * ends there: the model hears of it once the user has answered), which is returned. A call the
 * turn already made (same tool, same arguments) is not made again.
 */
async function runCalls(asked: readonly ToolCall[], calls: Call[], ports: AccountPorts): Promise<Proposal | undefined> {
	for (const request of asked) {
		const tool = toolNamed(request.name);
		const callId = newId("call");
		if (!tool) {
			recordNow(calls, ports, {
				callId,
				name: request.name.slice(0, 64) || "unknown",
				args: {},
				status: "failed",
				result: { error: "unknown_tool" },
				attempts: 0,
			});
			continue;
		}
		const parsed = tool.args.safeParse(request.arguments);
		if (!parsed.success) {
			const detail = parsed.error.issues
				.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`)
				.join("; ")
				.slice(0, 300);
			recordNow(calls, ports, {
				callId,
				name: request.name,
				args: {},
				status: "failed",
				result: { error: "invalid_arguments", detail },
				attempts: 0,
			});
			continue;
		}
		const args = parsed.data as Record<string, unknown>;
		if (calls.some((c) => c.name === request.name && sameArgs(c.args, args))) continue;
		if (tool.effect === "read") {
			const outcome = await ports.tools.read(tool, request.name, args);
			recordNow(calls, ports, {
				callId,
				name: request.name,
				args,
				status: outcome.status,
				result: outcome.result,
				attempts: outcome.attempts,
			});
			continue;
		}
		const own = await ports.tools.ownInvoice(tool.invoiceOf(args));
		if ("status" in own) {
			recordNow(calls, ports, { callId, name: request.name, args, status: "failed", result: own.result, attempts: 0 });
			continue;
		}
		return { callId, name: request.name, args, summary: tool.summary(args, own.invoice) };
	}
	return undefined;
}

/** Earlier attempts' calls: an approved write is sent now (once, by its key); a pending one is over. */
async function settleRecorded(calls: Call[], ports: AccountPorts): Promise<void> {
	for (const call of calls) {
		if (call.status === "pending") {
			call.status = "cancelled";
			call.result = CANCELLED;
			ports.ledger.settle(call.callId, "cancelled", CANCELLED, 0);
		} else if (call.status === "approved") {
			const tool = toolNamed(call.name);
			if (tool?.effect !== "write") continue;
			ports.ledger.sending(call.callId);
			const outcome = await ports.tools.write(tool, call.args, call.callId);
			call.status = outcome.status;
			call.result = outcome.result;
			ports.ledger.settle(call.callId, outcome.status, outcome.result, Math.max(0, outcome.attempts - 1));
		}
	}
}

const CANCELLED = { status: "cancelled", note: "The user did not confirm: nothing was done." };
const DECLINED = { status: "declined", note: "The user declined: nothing was done." };

function recordNow(calls: Call[], ports: AccountPorts, call: Parameters<ToolLedger["record"]>[0]): void {
	ports.ledger.record(call);
	calls.push({ callId: call.callId, name: call.name, args: call.args, status: call.status, result: call.result });
}

/** The calls as the model reads them: its own request, then the result, for each. */
function callMessages(calls: readonly Call[]): ChatMessage[] {
	return calls.flatMap((call): ChatMessage[] => {
		if (!isFinal(call.status)) return [];
		const result = call.status === "declined" ? DECLINED : call.status === "cancelled" ? CANCELLED : call.result;
		return [
			{ role: "assistant", content: "", toolCalls: [{ id: call.callId, name: call.name, arguments: call.args }] },
			{ role: "tool", content: JSON.stringify(result ?? {}), toolCallId: call.callId, name: call.name },
		];
	});
}

function isFinal(status: ToolCallState): status is "done" | "failed" | "declined" | "cancelled" {
	return status === "done" || status === "failed" || status === "declined" || status === "cancelled";
}

function sameArgs(a: unknown, b: unknown): boolean {
	try {
		return canonicalJson(a) === canonicalJson(b);
	} catch {
		return false;
	}
}
