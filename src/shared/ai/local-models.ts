/**
 * The local provider's two simulated models, named after what they stand in
 * for (and priced like it: the large one at AI_MODEL_PRICES, the small one at
 * AI_SMALL_MODEL_PRICES). The suffix is the composer's version: bump it when
 * local-answer.ts changes what it says, so cached answers are not served
 * stale. Apart from local.ts so that Node tools (the bench) can name them.
 */
export const LOCAL_MODELS = { large: "local-70b/grounded-extractive-v24", small: "local-8b/grounded-extractive-v24" } as const;
