// Package names: a scope (the publishing account) and a name, lower case, as npm writes them: @acme/shopify. Nothing
// in a name can reach a path (no dots at the start, no slashes, no "..").
import { RegistryError, RegistryErrorCode } from './errors.ts';

const ACCOUNT = /^[a-z0-9][a-z0-9-]{0,38}$/;
const PACKAGE = /^@([a-z0-9][a-z0-9-]{0,38})\/([a-z0-9][a-z0-9_-]{0,63})$/;

export function isAccountName(name: string): boolean {
  return ACCOUNT.test(name);
}

export function isPackageName(name: string): boolean {
  return PACKAGE.test(name);
}

/** The scope and the name of a package name, or REGISTRY_INVALID_NAME. */
export function parsePackageName(name: string): { scope: string; name: string } {
  const match = PACKAGE.exec(name);
  if (!match) {
    throw new RegistryError(RegistryErrorCode.InvalidName, 400, `"${name.slice(0, 100)}" is not a package name.`, 'Package names are @scope/name: lower-case letters, digits, - and _ (the scope is your account name).');
  }
  return { scope: match[1] as string, name: match[2] as string };
}
