/**
 * The agents' console (GET /agent, CONTRACT §7): the queue on the left,
 * polled every 3 s while the tab is visible; the selected conversation on
 * the right, live over the agent socket; Claim, Release, Resolve and a reply
 * box that apply only when they can succeed. Everything goes through the
 * SDK's `AgentApi`. The agent token is kept for the tab only
 * (sessionStorage), like the dashboard's admin token.
 */
import { AgentApi, type Assignee, assigneeSchema, type Conversation, newClientId, ProblemError } from "../sdk";
import { ConversationPanel } from "./agent-conversation";
import { userLabel } from "./agent-labels";
import { QueueList } from "./agent-queue";
import { VisiblePoller } from "./visible-poller";

const POLL_MS = 3000;
const MAX_TEXT = 2000;
const TOKEN_KEY = "agentToken";
/** Who this token belongs to, learned from the first claim: the API has no "who am I" call. */
const ME_KEY = "agentMe";

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
	const node = document.getElementById(id);
	if (!(node instanceof type)) throw new Error(`#${id} is missing`);
	return node;
}

const tokenInput = byId("token", HTMLInputElement);
const tab = byId("queue-status", HTMLSelectElement);
const queueInfo = byId("queue-info", HTMLParagraphElement);
const status = byId("status", HTMLParagraphElement);
const alertBox = byId("alert", HTMLParagraphElement);
const heading = byId("conversation-title", HTMLHeadingElement);
const replyForm = byId("reply", HTMLFormElement);
const replyText = byId("reply-text", HTMLTextAreaElement);
const buttons = {
	claim: byId("claim", HTMLButtonElement),
	release: byId("release", HTMLButtonElement),
	resolve: byId("resolve", HTMLButtonElement),
	send: byId("send", HTMLButtonElement),
};

let api: AgentApi | null = null;
let me: Assignee | null = readMe();
let conversations: Conversation[] = [];
let announcedCount: number | null = null;
/** The reply being sent, so a retry of the same text reuses its idempotency key (CONTRACT §3). */
let pending: { id: string; text: string } | null = null;
/** The alert shows a failed poll: the next good one clears it (an action's refusal stays until the next action). */
let pollFailed = false;

const queue = new QueueList(byId("queue-list", HTMLUListElement), select);
const panel = new ConversationPanel(
	{
		title: heading,
		status: byId("conversation-status", HTMLParagraphElement),
		user: byId("conversation-user", HTMLParagraphElement),
		live: byId("live", HTMLSpanElement),
		summaryBox: byId("summary-box", HTMLElement),
		summaryText: byId("summary-text", HTMLParagraphElement),
		transcript: byId("transcript", HTMLOListElement),
		typing: byId("typing", HTMLParagraphElement),
		...buttons,
		reply: replyText,
	},
	(sessionId) => {
		if (!api) throw new Error("not signed in");
		return api.connect(sessionId);
	},
);
const poller = new VisiblePoller(refreshQueue, POLL_MS);
panel.setMe(me);

byId("sign-in", HTMLFormElement).addEventListener("submit", (event) => {
	event.preventDefault();
	signIn(tokenInput.value.trim());
});
tab.addEventListener("change", () => {
	queue.clear();
	conversations = [];
	announcedCount = null;
	poller.now();
});
buttons.claim.addEventListener("click", () => void claim());
buttons.release.addEventListener("click", () => void handBack("release"));
buttons.resolve.addEventListener("click", () => void handBack("resolve"));
replyForm.addEventListener("submit", (event) => {
	event.preventDefault();
	void send();
});
replyText.addEventListener("keydown", (event) => {
	// Enter sends, Shift+Enter is a new line; never while an input method is composing a character.
	if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
		event.preventDefault();
		replyForm.requestSubmit();
	}
});

tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? "";
if (tokenInput.value) signIn(tokenInput.value);

function signIn(token: string): void {
	if (!token) return;
	if (sessionStorage.getItem(TOKEN_KEY) !== token) setMe(null);
	sessionStorage.setItem(TOKEN_KEY, token);
	api = new AgentApi({ baseUrl: location.origin, agentToken: token });
	alertBox.textContent = "";
	status.textContent = "Signing in…";
	announcedCount = null;
	panel.close();
	queue.clear();
	poller.start();
	// Who this token is, so conversations it already holds read as its own before any claim.
	const asking = api;
	asking.me().then(
		(agent) => {
			if (api === asking) setMe(agent);
		},
		() => undefined,
	);
}

/** The token was refused: stop everything that uses it and ask for another. */
function signOut(message: string): void {
	poller.stop();
	api = null;
	// A refused token is not tried again on reload.
	sessionStorage.removeItem(TOKEN_KEY);
	setMe(null);
	conversations = [];
	panel.close();
	queue.clear();
	queueInfo.textContent = "";
	status.textContent = "";
	alertBox.textContent = message;
	tokenInput.focus();
}

async function refreshQueue(): Promise<void> {
	const current = api;
	if (!current) return;
	const wanted = selectedTab();
	try {
		const list = await current.listConversations({ status: wanted, limit: 100 });
		// Answers for a token or a tab the agent has since left are stale.
		if (current !== api || wanted !== selectedTab()) return;
		conversations = list.conversations;
		drawQueue();
		for (const conversation of conversations) panel.update(conversation);
		if (pollFailed) alertBox.textContent = "";
		pollFailed = false;
		queueInfo.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshing every ${POLL_MS / 1000} s while this tab is visible.`;
		if (announcedCount !== conversations.length) {
			announcedCount = conversations.length;
			status.textContent = `${conversations.length} ${conversations.length === 1 ? "conversation" : "conversations"}: ${tab.selectedOptions[0]?.text ?? wanted}.`;
		}
	} catch (error) {
		if (current !== api) return;
		pollFailed = true;
		report(error, "load the queue", "; retrying");
	}
}

function drawQueue(): void {
	queue.render(conversations, { selected: panel.conversation?.sessionId ?? null, me });
}

function select(sessionId: string): void {
	const conversation = conversations.find((c) => c.sessionId === sessionId);
	if (!conversation || !api) return;
	pending = null;
	panel.show(conversation);
	drawQueue();
	status.textContent = `Opened the conversation with ${userLabel(conversation.user)}.`;
}

async function claim(): Promise<void> {
	const sessionId = panel.conversation?.sessionId;
	if (!api || !sessionId) return;
	await act("claim it", async (agent) => {
		const { assignee } = await agent.claim(sessionId);
		setMe(assignee);
		panel.patch({ status: "escalated", assignee });
		status.textContent = "You hold this conversation now: reply below.";
		replyText.focus();
	});
}

async function handBack(action: "release" | "resolve"): Promise<void> {
	const sessionId = panel.conversation?.sessionId;
	if (!api || !sessionId) return;
	await act(action === "release" ? "hand it back" : "resolve it", async (agent) => {
		const result = action === "release" ? await agent.release(sessionId) : await agent.resolve(sessionId);
		panel.patch({ status: result.status, assignee: null });
		status.textContent = action === "release" ? "Handed back to the assistant." : "Resolved.";
		// The button just pressed is disabled now; keep focus on the conversation rather than losing it to the page.
		heading.focus();
	});
}

async function send(): Promise<void> {
	const sessionId = panel.conversation?.sessionId;
	const text = replyText.value.trim();
	if (!api || !sessionId || !text || !panel.mine) return;
	if (text.length > MAX_TEXT) {
		alertBox.textContent = `A reply can be at most ${MAX_TEXT} characters (this one has ${text.length}).`;
		return;
	}
	pending = pending?.text === text ? pending : { id: newClientId("a"), text };
	const { id } = pending;
	await act("send the reply", async (agent) => {
		await agent.sendMessage(sessionId, { id, text });
		pending = null;
		// Only clear what was sent: the agent may have started the next reply meanwhile.
		if (replyText.value.trim() === text) replyText.value = "";
		replyText.focus();
	});
}

/** Runs one action with its buttons disabled; its refusal is said in the alert region, and the queue is refreshed either way. */
async function act(doing: string, run: (agent: AgentApi) => Promise<void>): Promise<void> {
	const agent = api;
	if (!agent) return;
	alertBox.textContent = "";
	pollFailed = false;
	panel.setBusy(true);
	try {
		await run(agent);
	} catch (error) {
		report(error, doing);
	} finally {
		panel.setBusy(false);
		drawQueue();
		poller.now();
	}
}

/** Says what went wrong; a refused token signs the console out. */
function report(error: unknown, doing: string, after = ""): void {
	if (error instanceof ProblemError) {
		if (error.status === 401) {
			signOut("That agent token was refused: it is wrong or has been revoked. Enter a valid agent token.");
			return;
		}
		if (error.status === 429) {
			const wait = error.retryAfter ? `${error.retryAfter} s` : "a minute";
			alertBox.textContent = `Could not ${doing}: too many attempts from this address; try again in ${wait}.`;
			return;
		}
		// 409 names who holds the conversation ("Dana holds this conversation.") or says to claim it first.
		alertBox.textContent = `Could not ${doing}: ${error.detail}`;
		return;
	}
	alertBox.textContent = `Could not ${doing} (${error instanceof Error ? error.message : String(error)})${after}.`;
}

function selectedTab(): Conversation["status"] {
	const statuses: readonly Conversation["status"][] = ["escalated", "open", "closed"];
	return statuses.find((s) => s === tab.value) ?? "escalated";
}

function setMe(agent: Assignee | null): void {
	me = agent;
	if (agent) sessionStorage.setItem(ME_KEY, JSON.stringify(agent));
	else sessionStorage.removeItem(ME_KEY);
	panel.setMe(agent);
}

function readMe(): Assignee | null {
	try {
		const parsed = assigneeSchema.safeParse(JSON.parse(sessionStorage.getItem(ME_KEY) ?? "null"));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
