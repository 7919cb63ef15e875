import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../../../../common/errors';

export const minPasswordLength = 8;

/** argon2id with OWASP's minimum parameters, set explicitly so a library default change cannot weaken them. */
const argon2Options = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same work as a real check, so unknown usernames answer as slowly as wrong passwords. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('qiao-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

/** Throws AUTH_WEAK_PASSWORD when the password is too short or equals the username. */
export function assertPasswordStrength(username: string, password: string): void {
  if ([...password].length < minPasswordLength || password.toLowerCase() === username.toLowerCase()) {
    throw new AppError('AUTH_WEAK_PASSWORD', { minLength: minPasswordLength });
  }
}
