// The registry's web catalogue, rendered on the server: a search page and one page per connector (its streams,
// auth, canonical types, versions with their verification, and the install command). Plain HTML and CSS, no
// script: it works with a keyboard and a screen reader as it is, and the content security policy forbids scripts.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import semver from 'semver';
import { RegistryError, RegistryErrorCode } from './errors.ts';
import { isPackageName, parsePackageName } from './names.ts';
import type { PackageRecord, RegistryStore, SearchHit } from './store.ts';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 0 1rem 3rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: Canvas; padding: .5rem; }
:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid GrayText; margin-bottom: 1rem; }
header a { font-weight: bold; font-size: 1.25rem; }
form { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin: 1rem 0; }
input[type=search] { flex: 1; min-width: 15rem; font: inherit; padding: .4rem; }
button { font: inherit; padding: .4rem 1rem; }
ul.results { list-style: none; padding: 0; }
ul.results li { border-bottom: 1px solid GrayText; padding: .75rem 0; }
.meta { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid GrayText; vertical-align: top; }
pre { padding: .75rem; border: 1px solid GrayText; overflow-x: auto; }
.pass { color: #137333; } .fail { color: #c5221f; }
`;

/** No script, nothing from elsewhere, no framing: the pages are documents. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function layout(title: string, body: Page): Page {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · PullPush registry</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="/">PullPush connectors</a><span>verified connector definitions</span></header>
<main id="main">${body}</main>
</body>
</html>`;
}

function searchForm(query: string): Page {
  return html`<form role="search" action="/" method="get">
<label for="q">Search connectors</label>
<input id="q" name="q" type="search" value="${query}" placeholder="shop, commerce.order, bearer…" autocomplete="off">
<button type="submit">Search</button>
</form>`;
}

function connectorPath(name: string): string {
  const { scope, name: local } = parsePackageName(name);
  return `/connectors/@${scope}/${local}`;
}

function result(hit: SearchHit): Page {
  return html`<li>
<h2><a href="${connectorPath(hit.name)}">${hit.name}</a></h2>
<p>${hit.description || 'No description.'}</p>
<p class="meta">latest ${hit.latest ?? '—'} · auth ${hit.authKind} · ${hit.canonicalTypes.length > 0 ? hit.canonicalTypes.join(', ') : 'raw streams'} · test ${hit.verification?.verdict ?? '—'}${hit.verification?.testedAt ? ` on ${hit.verification.testedAt.slice(0, 10)}` : ''} · ${hit.downloads} installs</p>
</li>`;
}

function searchPage(query: string, hits: SearchHit[]): Page {
  const heading = query === '' ? 'Connectors' : `Connectors matching "${query}"`;
  const found =
    hits.length === 0
      ? html`<p role="status">No connector matches "${query}". Try a canonical type (commerce.order), an auth kind (bearer) or a stream name.</p>`
      : html`<p role="status">${hits.length} connector${hits.length === 1 ? '' : 's'}.</p><ul class="results">${hits.map(result)}</ul>`;
  return layout(heading, html`<h1>${heading}</h1>${searchForm(query)}${found}`);
}

interface StreamSummary {
  name: string;
  canonical: string | undefined;
  primaryKey: string;
  incremental: boolean;
}

/** What the page shows of a definition, read from the stored artifact (its canonical JSON). */
function summarise(artifact: string): { authKind: string; streams: StreamSummary[] } {
  const definition = JSON.parse(artifact) as { auth?: { kind?: string }; streams?: Record<string, { canonical?: string; primaryKey?: string | string[]; incremental?: unknown }> };
  return {
    authKind: definition.auth?.kind ?? 'none',
    streams: Object.entries(definition.streams ?? {}).map(([name, stream]) => ({
      name,
      canonical: stream.canonical,
      primaryKey: Array.isArray(stream.primaryKey) ? stream.primaryKey.join(', ') : (stream.primaryKey ?? '—'),
      incremental: stream.incremental !== undefined,
    })),
  };
}

function connectorPage(found: PackageRecord, origin: string): Page {
  const versions = [...found.versions].sort((a, b) => semver.rcompare(a.version, b.version));
  const latestVersion = found.distTags['latest'];
  const latest = versions.find((version) => version.version === latestVersion) ?? versions[0];
  if (!latest) throw new RegistryError(RegistryErrorCode.NotFound, 404, `No version of ${found.name}.`);
  const { authKind, streams } = summarise(latest.artifact);
  const canonicalTypes = [...new Set(streams.flatMap((stream) => (stream.canonical ? [stream.canonical] : [])))];
  const tagsOf = (version: string) => Object.entries(found.distTags).flatMap(([tag, tagged]) => (tagged === version ? [tag] : []));
  const verdict = latest.verification.verdict;
  return layout(
    found.name,
    html`<p><a href="/">← All connectors</a></p>
<h1>${found.name}</h1>
<p>${found.description || 'No description.'}</p>
<p class="meta">by ${found.owner} · latest ${latest.version} · ${found.downloads} installs${latest.deprecated ? html` · <strong>deprecated: ${latest.deprecated}</strong>` : ''}</p>
<h2 id="install">Install</h2>
<pre><code>pullpush install ${found.name} --registry ${origin}</code></pre>
<p>The install checks the integrity and both signatures before it writes <code>connectors/${found.name}.json</code> and records it in <code>pullpush-lock.json</code>.</p>
<h2>Auth</h2>
<p>${authKind}</p>
<h2>Canonical types</h2>
<p>${canonicalTypes.length > 0 ? canonicalTypes.join(', ') : 'None: every stream is raw.'}</p>
<h2>Streams</h2>
<table>
<caption>Streams of ${latest.version}</caption>
<thead><tr><th scope="col">stream</th><th scope="col">canonical type</th><th scope="col">primary key</th><th scope="col">incremental</th></tr></thead>
<tbody>${streams.map((stream) => html`<tr><th scope="row">${stream.name}</th><td>${stream.canonical ?? 'raw'}</td><td>${stream.primaryKey}</td><td>${stream.incremental ? 'yes' : 'no'}</td></tr>`)}</tbody>
</table>
<h2>Verification</h2>
<p>The read-only test of ${latest.version}: <strong class="${verdict === 'pass' ? 'pass' : 'fail'}">${verdict}</strong>${latest.verification.testedAt ? ` on ${latest.verification.testedAt}` : ''}, streams ${latest.verification.streams.join(', ')}. Integrity <code>${latest.integrity}</code>, signed by the publisher's key <code>${latest.keyId}</code> and countersigned by this registry.</p>
<h2>Versions</h2>
<table>
<caption>Every version, newest first</caption>
<thead><tr><th scope="col">version</th><th scope="col">published</th><th scope="col">test</th><th scope="col">status</th></tr></thead>
<tbody>${versions.map(
      (version) =>
        html`<tr><th scope="row">${version.version}</th><td>${version.publishedAt.slice(0, 10)}</td><td>${version.verification.verdict} (${version.verification.streams.join(', ')})</td><td>${[...tagsOf(version.version), ...(version.yanked ? ['yanked'] : []), ...(version.deprecated ? [`deprecated: ${version.deprecated}`] : [])].join(' · ') || '—'}</td></tr>`,
    )}</tbody>
</table>`,
  );
}

async function render(c: Context, page: Page, status: 200 | 404 = 200): Promise<Response> {
  return c.html(await page, status, SECURITY_HEADERS);
}

/** Adds the catalogue's pages to the registry's app: `/` (search) and `/connectors/@scope/name`. */
export function addCatalogue(app: Hono, store: RegistryStore): void {
  app.get('/', async (c) => {
    const query = (c.req.query('q') ?? '').slice(0, 200);
    return render(c, searchPage(query, await store.search(query, 50)));
  });
  app.get('/connectors/:scope/:name', async (c) => {
    const name = `${c.req.param('scope')}/${c.req.param('name')}`;
    const found = isPackageName(name) ? await store.getPackage(name) : undefined;
    if (!found) return render(c, layout('Not found', html`<h1>No connector ${name}</h1><p><a href="/">Search the catalogue</a></p>`), 404);
    return render(c, connectorPage(found, new URL(c.req.url).origin));
  });
}
