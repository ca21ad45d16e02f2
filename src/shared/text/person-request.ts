/**
 * Whether a message asks for a person (CONTRACT §7, trigger 2): "can I talk to a human?",
 * "agent please", "I want a real person". Pure. It must not fire on questions that merely mention
 * people ("can I assign a task to a person?"), so a bare "person" or "agent" counts only as the
 * whole message, or after a verb of reaching someone.
 */

/** The assistant's whole answer to a message asking for a person (CONTRACT §7, trigger 2). */
export const HANDOFF_REPLY = "Of course. I'm passing this conversation to a person from our support team.";
/** The `system` message that says people answer now. */
export const HANDOFF_TEXT =
	"A person from our support team will reply here. You can close this page and come back: the conversation will be waiting for you.";

/** Words that on their own ask for a person in a support chat. */
const ALWAYS =
	/\b(human being|a human|real person|real human|live (agent|person|chat)|someone real|(a )?representative|customer service rep)\b/i;
/** Reaching someone: "talk to someone", "speak with an agent", "transfer me to support". */
const REACH =
	/\b(talk|speak|chat|connect|transfer|put)\b(\s+me)?\s+(to|with|through to)\s+(a |an |the |your |some |real )?(human|person|agent|someone|somebody|representative|operator|support( team| staff)?|staff|people)\b/i;
/** Wanting one: "I want a person", "need an agent", "get me a human". */
const WANT =
	/\b(want|need|get me|give me|request|ask for)\s+(a |an |to (talk|speak) to (a |an )?)?(human|person|agent|operator|representative)\b/i;
/** The whole message is the request: "agent please", "human!", "a person, now". */
const BARE = /^\s*(an? |the )?(agent|human|person|operator|representative)([\s,!.?]*(please|pls|now|asap))*[\s!.?]*$/i;

/**
 * @example asksForPerson("agent please") // true
 * @example asksForPerson("Can I assign a task to a person?") // false
 */
export function asksForPerson(text: string): boolean {
	return ALWAYS.test(text) || REACH.test(text) || WANT.test(text) || BARE.test(text);
}
