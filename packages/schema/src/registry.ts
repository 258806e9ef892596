// The documents of the marketplace registry's HTTP API, as TypeBox schemas: @pullpush/registry-server checks the
// requests it is sent and describes its API (OpenAPI) with them, and @pullpush/registry-client takes its types from
// them, so the two cannot drift apart. The definition inside a publish is checked by validateDefinition, not here.
import { Type, type Static } from 'typebox';

const Name = Type.String({ description: 'A package name: @scope/name.' });

export const RegistryVerification = Type.Object(
  {
    verdict: Type.String({ description: "The read-only test's verdict (pass: nothing else is published)." }),
    streams: Type.Array(Type.String(), { description: 'The streams the test covered.' }),
    testedAt: Type.String({ description: 'When the test started.' }),
  },
  { description: 'The summary of the test report a version was published with.' },
);
export type RegistryVerification = Static<typeof RegistryVerification>;

export const RegistryVersionInfo = Type.Object({
  version: Type.String(),
  integrity: Type.String({ description: "The SRI sha512 of the definition's RFC 8785 canonical JSON." }),
  keyId: Type.String({ description: "The publisher's key." }),
  signature: Type.String({ description: "The publisher's Ed25519 signature of name@version:integrity, base64." }),
  countersignature: Type.String({ description: "The registry's Ed25519 signature of the same text, base64." }),
  verification: RegistryVerification,
  yanked: Type.Boolean(),
  deprecated: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String(),
});
export type RegistryVersionInfo = Static<typeof RegistryVersionInfo>;

export const RegistryPackageInfo = Type.Object({
  name: Name,
  owner: Type.String(),
  description: Type.String(),
  distTags: Type.Record(Type.String(), Type.String()),
  downloads: Type.Integer(),
  versions: Type.Array(RegistryVersionInfo),
});
export type RegistryPackageInfo = Static<typeof RegistryPackageInfo>;

/** One version with its artifact: what an install downloads and verifies. */
export const RegistryVersionDownload = Type.Intersect([
  RegistryVersionInfo,
  Type.Object({ name: Name, artifact: Type.String({ description: 'The canonical JSON text, exactly as published.' }), registryKeyId: Type.String() }),
]);
export type RegistryVersionDownload = Static<typeof RegistryVersionDownload>;

export const RegistrySearchHit = Type.Object({
  name: Name,
  description: Type.String(),
  latest: Type.Union([Type.String(), Type.Null()]),
  canonicalTypes: Type.Array(Type.String()),
  authKind: Type.String(),
  streams: Type.Array(Type.String()),
  downloads: Type.Integer(),
  verification: Type.Union([RegistryVerification, Type.Null()], { description: 'The verification of the latest version.' }),
});
export type RegistrySearchHit = Static<typeof RegistrySearchHit>;

export const RegistrySearchResults = Type.Object({ results: Type.Array(RegistrySearchHit) });
export type RegistrySearchResults = Static<typeof RegistrySearchResults>;

export const RegistryPublishRequest = Type.Object({
  definition: Type.Record(Type.String(), Type.Unknown(), { description: 'The connector definition (validated by validateDefinition).' }),
  report: Type.Record(Type.String(), Type.Unknown(), { description: 'Its read-only test report (pullpush test --json).' }),
  signature: Type.Object({ keyId: Type.String(), value: Type.String({ description: 'base64' }) }),
});
export type RegistryPublishRequest = Static<typeof RegistryPublishRequest>;

export const RegistryPublishResult = Type.Object({ name: Name, version: Type.String(), integrity: Type.String(), countersignature: Type.String(), registryKeyId: Type.String() });
export type RegistryPublishResult = Static<typeof RegistryPublishResult>;

export const RegistryAccountRequest = Type.Object({ name: Type.String() });
export type RegistryAccountRequest = Static<typeof RegistryAccountRequest>;
export const RegistryAccountResult = Type.Object({ account: Type.String(), token: Type.String() });
export type RegistryAccountResult = Static<typeof RegistryAccountResult>;
export const RegistryTokenRequest = Type.Object({ scope: Type.Enum(['read', 'publish']) });
export type RegistryTokenRequest = Static<typeof RegistryTokenRequest>;
export const RegistryTokenResult = Type.Object({ token: Type.String() });
export type RegistryTokenResult = Static<typeof RegistryTokenResult>;
export const RegistryKeyRequest = Type.Object({ publicKey: Type.String({ description: 'An Ed25519 public key in PEM.' }) });
export type RegistryKeyRequest = Static<typeof RegistryKeyRequest>;
export const RegistryKeyResult = Type.Object({ id: Type.String() });
export type RegistryKeyResult = Static<typeof RegistryKeyResult>;
export const RegistryPublisherKey = Type.Object({ id: Type.String(), account: Type.String(), publicKey: Type.String() });
export type RegistryPublisherKey = Static<typeof RegistryPublisherKey>;
export const RegistryKeys = Type.Object({ keys: Type.Array(Type.Object({ id: Type.String(), publicKey: Type.String() })) });
export type RegistryKeys = Static<typeof RegistryKeys>;
export const RegistryDistTagRequest = Type.Object({ version: Type.String() });
export type RegistryDistTagRequest = Static<typeof RegistryDistTagRequest>;
export const RegistryDistTagResult = Type.Object({ name: Name, distTags: Type.Record(Type.String(), Type.String()) });
export type RegistryDistTagResult = Static<typeof RegistryDistTagResult>;
export const RegistryDeprecateRequest = Type.Object({ version: Type.Optional(Type.String()), message: Type.String({ description: 'An empty message undoes it.' }) });
export type RegistryDeprecateRequest = Static<typeof RegistryDeprecateRequest>;
export const RegistryDeprecateResult = Type.Object({ name: Name, deprecated: Type.Union([Type.String(), Type.Null()]) });
export type RegistryDeprecateResult = Static<typeof RegistryDeprecateResult>;
export const RegistryYankRequest = Type.Object({ yanked: Type.Optional(Type.Boolean({ description: 'false un-yanks (default true).' })) });
export type RegistryYankRequest = Static<typeof RegistryYankRequest>;
export const RegistryYankResult = Type.Object({ name: Name, version: Type.String(), yanked: Type.Boolean() });
export type RegistryYankResult = Static<typeof RegistryYankResult>;

export const RegistryAuditEntry = Type.Object({
  at: Type.String(),
  account: Type.String({ description: 'Who did it.' }),
  action: Type.String({ description: 'create-account, add-key, publish, dist-tag, deprecate, yank, unyank.' }),
  name: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
});
export type RegistryAuditEntry = Static<typeof RegistryAuditEntry>;
export const RegistryAuditLog = Type.Object({ entries: Type.Array(RegistryAuditEntry, { description: 'Newest first.' }) });
export type RegistryAuditLog = Static<typeof RegistryAuditLog>;

export const RegistryErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), hint: Type.Optional(Type.String()) }) });
export type RegistryErrorBody = Static<typeof RegistryErrorBody>;
