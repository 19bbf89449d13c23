/** Printed by the test module in the extension host when it wants the launcher to look at the page. */
export const CHECKPOINT_PREFIX = "ASYNC_LENS_CHECKPOINT ";
