/** Rules for a new password: long enough to resist guessing, short enough to stop a scrypt DoS. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'password must be at least 10 characters';
  if (password.length > 200) return 'password must be at most 200 characters';
  return null;
}
