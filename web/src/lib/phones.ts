// Emergency replies: every phone number becomes a tel: link, one tap from a call.

// Three or more digits, optionally with a leading + and inner dashes or dots; not a
// percentage ("100% oxygen") and not part of a longer word.
const PHONE_NUMBER = /(?<![\w+\-.])\+?\d[\d\-.]*\d(?![\w%]|[\-.]\d)/g;

function digitsOf(number: string): string {
  return number.replace(/[^\d+]/g, "");
}

/** The text as markdown with each phone number linked; list numbers ("1.") are left alone. */
export function linkPhoneNumbers(text: string): string {
  return text.replace(PHONE_NUMBER, (match) => {
    const digits = digitsOf(match);
    if (digits.replace("+", "").length < 3) return match;
    return `[${match}](tel:${digits})`;
  });
}
