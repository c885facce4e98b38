/** Small wording helpers shared by the policy rules' messages. */

/** The text with its first letter in upper case (a fix that starts a sentence). */
export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The word with its indefinite article: "an Application", "an APIService", "a User", "a Deployment". */
export const withArticle = (word: string): string =>
  /^[aeio]/i.test(word) || /^u(?![^aeiou][aeiou])/i.test(word) ? `an ${word}` : `a ${word}`;
