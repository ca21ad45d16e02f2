/**
 * Markdown files import as their text: wrangler bundles them as text modules
 * (the `[[rules]]` of wrangler.toml), and the Vitest plugin follows the same rule.
 * Node cannot import them (see src/shared/kb/sample-articles-node.ts).
 */
declare module "*.md" {
	const text: string;
	export default text;
}
