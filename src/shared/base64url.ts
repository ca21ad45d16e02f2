/** Base64url (RFC 4648 §5, unpadded), as JWTs and the session tokens use it. */

/** @example base64url(new TextEncoder().encode("hi")) // "aGk" */
export function base64url(bytes: ArrayBuffer | Uint8Array): string {
	const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
	let binary = "";
	for (const byte of view) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Undefined for anything that is not base64url, including impossible lengths (where `atob` throws). */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
	if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return undefined;
	let binary: string;
	try {
		binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
	} catch {
		return undefined;
	}
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
