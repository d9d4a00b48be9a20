/** What is wrong with a new customer password, in words for the form; null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Choose a password of at least 10 characters.';
  if (password.length > 200) return 'Choose a password of at most 200 characters.';
  return null;
}
