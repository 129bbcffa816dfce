// A second sign-in server for Treffpunkt's tests, one that no one here wrote: panva's
// `oidc-provider` (a certified OpenID Connect server), shaped like the Microsoft identity
// platform's v2.0 endpoints. tests/it/second_idp.rs runs the app's real sign-in against it, so the
// sign-in is checked against more than the project's own simulator and its assumptions.
//
// Started as `node server.mjs CONFIG_JSON`, where CONFIG_JSON is
//   { "tenant": the tenant path segment (domain or GUID), "tenantId": the tenant's GUID,
//     "clientId": the app's client id, "users": { "user principal name": "display name" } }
// It listens on 127.0.0.1 only and prints `{"port":N}` on stdout, then one JSON line per request
// it answered: method, path, status, the *names* of the parameters, and the values of those that
// are no secret (code_challenge_method, grant_type, response_type, scope). Never a code, state,
// verifier or token. It exits when its standard input closes (the test that started it is gone).
// oidc-provider's own warnings and notices are not part of that protocol: the test skips every
// line that is not JSON.

import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const { tenant, tenantId, clientId, users } = JSON.parse(process.argv[2]);

// The v2.0 endpoints under the tenant segment the app puts in them, as Entra names them:
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
const base = `/${tenant}`;
const authorizePath = `${base}/oauth2/v2.0/authorize`;
const tokenPath = `${base}/oauth2/v2.0/token`;

// A scope without a resource, such as User.Read, means Microsoft Graph
// (https://learn.microsoft.com/entra/identity-platform/scopes-oidc). These are the delegated
// permissions a Graph token can carry here: the ones the app asks for (B2).
const GRAPH = 'https://graph.microsoft.com';
const GRAPH_SCOPES = 'User.Read OnlineMeetings.ReadWrite Calendars.ReadWrite';

const server = createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const { port } = server.address();

// Entra's issuer is https://login.microsoftonline.com/{tenant id}/v2.0.
const provider = new Provider(`http://127.0.0.1:${port}/${tenantId}/v2.0`, {
  clients: [{
    client_id: clientId,
    // A "Mobile and desktop applications" registration: a public client without a secret whose
    // loopback redirect URI matches on any port (RFC 8252 §7.3, as Entra does for 127.0.0.1).
    // `http://127.0.0.1/` is the same URL as the `http://127.0.0.1` registered in Entra (an
    // empty path is "/", RFC 3986 §6.2.3); oidc-provider compares the strings, so the slash is
    // written out.
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }],
  routes: {
    authorization: authorizePath,
    token: tokenPath,
    jwks: `${base}/discovery/v2.0/keys`,
    end_session: `${base}/oauth2/v2.0/logout`,
  },
  // A public client must use PKCE with S256 (Entra refuses its code redemption otherwise).
  pkce: { required: () => true, methods: ['S256'] },
  scopes: ['openid', 'profile', 'offline_access'],
  // Entra's ID token names the tenant (`tid`), the sign-in name and the display name:
  // https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
  claims: {
    openid: ['sub', 'tid'],
    profile: ['name', 'preferred_username'],
  },
  // Entra puts these claims into the ID token of the code flow, not only into a userinfo answer.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    if (!Object.hasOwn(users, id)) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, tid: tenantId, preferred_username: id, name: users[id],
        };
      },
    };
  },
  features: {
    // The login and consent pages that the test's browser fills in, as a user would.
    devInteractions: { enabled: true },
    // Userinfo is Graph's in Entra, not the sign-in server's; access tokens are for Graph.
    userinfo: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => GRAPH,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== GRAPH) throw new Provider.errors.InvalidTarget();
        return { scope: GRAPH_SCOPES, audience: GRAPH, accessTokenFormat: 'opaque' };
      },
    },
  },
  // Entra answers each refresh with a new refresh token, which lives 90 days
  // (https://learn.microsoft.com/entra/identity-platform/refresh-tokens). Entra leaves the old one
  // valid; oidc-provider consumes it, which is stricter: a second refresh works only for an app
  // that kept the new one.
  rotateRefreshToken: true,
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    IdToken: 3600,
    RefreshToken: 90 * 24 * 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 90 * 24 * 3600,
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
});

// Entra issues a refresh token to an app the user consented offline_access to
// (https://learn.microsoft.com/entra/identity-platform/scopes-oidc#offline_access); the
// app does not add prompt=consent. oidc-provider follows OpenID Connect Core §11 instead and drops
// offline_access unless the request says prompt=consent. The consent page is shown to this
// native client on every sign-in anyway, so a request for offline_access without a prompt is read
// as Entra reads it: with the user's consent to be asked.
provider.use(async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === authorizePath) {
    const params = new URLSearchParams(ctx.querystring);
    if ((params.get('scope') || '').split(' ').includes('offline_access') && !params.has('prompt')) {
      params.set('prompt', 'consent');
      ctx.querystring = params.toString();
    }
  }
  await next();
});

const PUBLIC_VALUES = new Set(['code_challenge_method', 'grant_type', 'response_type', 'scope']);

function record(req, status, body) {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const params = new URLSearchParams(body ?? url.search);
  const names = [...new Set(params.keys())].sort();
  const values = {};
  for (const name of names) {
    if (PUBLIC_VALUES.has(name)) values[name] = params.get(name);
  }
  process.stdout.write(`${JSON.stringify({
    method: req.method, path: url.pathname, status, params: names, values,
  })}\n`);
}

const handle = provider.callback();
server.on('request', (req, res) => {
  const isForm = (req.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded');
  if (req.method !== 'POST' || !isForm) {
    res.on('finish', () => record(req, res.statusCode));
    handle(req, res);
    return;
  }
  // The form is read here to record its parameter names, then handed to the provider as read.
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    res.on('finish', () => record(req, res.statusCode, raw.toString('utf8')));
    req.body = raw;
    handle(req, res);
  });
});

process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
