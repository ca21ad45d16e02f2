/**
 * Template and role tokens of common chat formats (`<|eot_id|>`, `[INST]`,
 * `<<SYS>>`, `</s>`), which must never reach the model from text we do not
 * write, nor reach the user from the model. Owns how they are removed:
 * to a fixpoint, so that removing one token cannot assemble another
 * (`<|eo<|x|>t_id|>`), after dropping the invisible characters that would
 * otherwise hide a token from the pattern (`[IN\u200BST]`).
 */

/** Template and role tokens of common chat formats; never allowed through in either direction. */
export const TEMPLATE_TOKENS = /<\|[a-z_]{1,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?s>/gi;

/** The same tokens, anchored at the end, for the one-pass stripper below. */
const TOKEN_AT_END = /(?:<\|[a-z_]{1,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?s>)$/i;
/** `<|` + 40 letters + `|>`. */
const LONGEST_TOKEN = 44;

/**
 * Characters that render as nothing: Unicode's default-ignorable code points
 * (zero-width space, joiners and non-joiners, soft hyphen, word joiner and
 * invisible operators, BOM, bidi embeddings, overrides and isolates, Hangul
 * fillers, tag characters used to smuggle ASCII) except the emoji variation
 * selectors U+FE00–U+FE0F, which only pick a glyph's style. Bidi controls are
 * dropped too because they can show a reviewer text in another order than the
 * model reads it.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}--[\uFE00-\uFE0F]]/gv;

/**
 * Removes invisible characters. It maps each code point on its own, so it
 * commutes with concatenation: the result for a prefix is a prefix of the result.
 * @example dropInvisible("[IN\u200BST]") // "[INST]"
 */
export function dropInvisible(text: string): string {
	return text.replace(INVISIBLE, "");
}

/**
 * Removes template tokens until none is left, as if `text.replace(TEMPLATE_TOKENS, "")`
 * were repeated until nothing changes, in one linear pass.
 *
 * Why one pass is enough: the output is kept free of tokens after every character.
 * Appending a character can only complete a token that ends at that character, no
 * token is a suffix of another so at most one does, and removing it leaves a prefix
 * of token-free text. No token overlaps or contains another, so every order of
 * removals ends at the same text, the one repeated replacing reaches.
 * @example stripTemplateTokens("[IN[INST]ST]hi") // "hi"
 */
export function stripTemplateTokens(text: string): string {
	return stripTemplateTokensAfter("", text);
}

/**
 * `stripTemplateTokens(raw + more)`, given `clean = stripTemplateTokens(raw)`: the one pass goes on
 * from where it stopped, so a streamed reply is stripped chunk by chunk instead of from its start
 * at every chunk (reply-sanitizer.ts). The pass's only state is the token-free text so far.
 * @example stripTemplateTokensAfter("Done. <|eo", "t_id|> Next.") // "Done.  Next."
 */
export function stripTemplateTokensAfter(clean: string, more: string): string {
	// Every token ends in ">" or "]"; only those can complete one, so the text between them is copied whole.
	let out = clean;
	let from = 0;
	let angle = more.indexOf(">");
	let square = more.indexOf("]");
	while (angle !== -1 || square !== -1) {
		const at = angle === -1 ? square : square === -1 ? angle : Math.min(angle, square);
		out += more.slice(from, at + 1);
		from = at + 1;
		if (at === angle) angle = more.indexOf(">", from);
		else square = more.indexOf("]", from);
		// Tokens are ASCII, so the last LONGEST_TOKEN code units hold any token ending here.
		const match = TOKEN_AT_END.exec(out.slice(-LONGEST_TOKEN));
		if (match) out = out.slice(0, out.length - match[0].length);
	}
	return from === 0 ? clean + more : out + more.slice(from);
}

/**
 * Text we did not write, as the model may see it: NFKC-normalized (fullwidth
 * `［INST］` becomes `[INST]` before matching, as it may inside a tokenizer),
 * invisible characters dropped, then template tokens stripped to a fixpoint.
 * One round is enough: stripping removes only ASCII, so it cannot expose an invisible
 * character or a fullwidth form, and at most leaves a letter next to a combining mark,
 * which normalizing again would compose into one non-ASCII letter, never a token.
 * @example sanitizeText("<|eo<|x|>t_id|>Hi\uFF3BINST\uFF3D") // "Hi"
 */
export function sanitizeText(text: string): string {
	return stripTemplateTokens(dropInvisible(text.normalize("NFKC")));
}
