/** The verified user of an identified session (CONTRACT §2), as the hub stores it and its turns read it. */
import { z } from "zod";

export const identitySchema = z.object({
	id: z.string().min(1).max(128),
	name: z.string().min(1).max(128).optional(),
	email: z.string().min(3).max(254).optional(),
});
export type Identity = z.infer<typeof identitySchema>;
