/** Small wording helpers shared by the policy rules' messages. */

/** The text with its first letter in upper case (a fix that starts a sentence). */
export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
