/**
 * What an identified user's turn needs to use their account (CONTRACT §8):
 * the profile for the prompt, the tools acting for the verified user (never
 * one the model names), and the hub's ledger of the turn's calls. Anonymous
 * turns get none of it.
 */
import { configOf } from "../../shared/config";
import type { BeginTurnResult } from "../../shared/schemas/hub";
import { accountCache } from "../../shared/tools/account-cache";
import { type BackOffice, BackOfficeUnavailable, backOffice } from "../../shared/tools/back-office";
import { toolExecutor } from "../../shared/tools/executor";
import { loadProfile } from "../../shared/tools/profile";
import type { AccountPorts, ToolLedger } from "../../shared/turn/account-reply";

type StartedTurn = Extract<BeginTurnResult, { kind: "started" }>;

/** A back office that is not configured: every call fails as unavailable, and the assistant says so. */
const NO_BACK_OFFICE: BackOffice = {
	get: () => Promise.reject(new BackOfficeUnavailable("no back office is configured")),
	post: () => Promise.reject(new BackOfficeUnavailable("no back office is configured")),
};

/**
 * @example const account = await accountPorts(env, turn, ledger, waitUntil) // undefined for an anonymous session
 */
export async function accountPorts(
	env: Env,
	turn: StartedTurn,
	ledger: ToolLedger,
	waitUntil: (promise: Promise<unknown>) => void,
): Promise<AccountPorts | undefined> {
	const user = turn.identity;
	if (!user) return undefined;
	const config = configOf(env).backOffice;
	const binding = (env as { BACKOFFICE?: Fetcher }).BACKOFFICE;
	const connect = (counter?: { attempted(): void }) => (config ? backOffice(config, binding, counter) : NO_BACK_OFFICE);
	const cache = accountCache(env, waitUntil);
	const profile = await loadProfile(user.id, connect(), cache);
	return {
		account: { userId: user.id, name: profile?.name ?? user.name, plan: profile?.plan, billingCycle: profile?.billingCycle },
		tools: toolExecutor(user.id, connect, cache),
		ledger,
	};
}
