// A real, certified OpenID provider (panva/oidc-provider v9) for Felt's test suite.
//
// Started by tests/oidc/fixture.py; never used outside tests. Environment:
//   PORT                      port to listen on (127.0.0.1); the issuer is http://127.0.0.1:PORT
//   ACCOUNTS_FILE             JSON {"<sub>": {"name", "email", "employee_number", "unit", "groups"}};
//                             re-read on every lookup, so tests may add accounts while it runs
//   REDIRECT_URIS             comma-separated redirect_uris of the client felt-test
//   POST_LOGOUT_REDIRECT_URIS optional, comma-separated post_logout_redirect_uris of felt-test
// Prints one line "READY <issuer>" to stdout once it listens.
//
// Interactions are oidc-provider's built-in devInteractions: a login form that accepts any login name
// (it becomes the sub; the password is ignored); a sub missing from ACCOUNTS_FILE logs in with no claims
// but sub. Consent is granted automatically
// to felt-test (see loadExistingGrant), so a log-in is: authorize -> login form -> redirect_uri?code=..

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number.parseInt(process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0) {
  console.error('provider.mjs: set PORT');
  process.exit(2);
}
const accountsFile = process.env.ACCOUNTS_FILE;
if (!accountsFile) {
  console.error('provider.mjs: set ACCOUNTS_FILE');
  process.exit(2);
}
const splitList = (value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const redirectUris = splitList(process.env.REDIRECT_URIS);
if (redirectUris.length === 0) {
  console.error('provider.mjs: set REDIRECT_URIS');
  process.exit(2);
}
const postLogoutRedirectUris = splitList(process.env.POST_LOGOUT_REDIRECT_URIS);

const issuer = `http://127.0.0.1:${port}`;
const CLIENT_ID = 'felt-test';
// Everything felt-test is granted without a consent screen.
const GRANTED_SCOPE = 'openid profile email felt';

function loadAccounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

// A fresh signing key for every run (instead of oidc-provider's public development keys).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'felt-test-rs256', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: 'felt-test-secret',
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: {
    // signs oidc-provider's own cookies; over plain http they are simply not marked Secure
    keys: [randomBytes(32).toString('base64url')],
  },
  // scope -> claims it releases. The keys that are not claim names become supported scopes.
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email'],
    felt: ['employee_number', 'unit', 'groups'],
  },
  scopes: ['openid', 'profile', 'email', 'felt'],
  responseTypes: ['code'],
  // Put the scope-released claims into the ID token too (not only at userinfo), so the app can read
  // them straight from the ID token.
  conformIdTokenClaims: false,
  // S256 is the only code_challenge_method oidc-provider v9 supports at all; this makes PKCE mandatory
  // for every client (by default it is mandatory only for public clients).
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // Any login name logs in (devInteractions accept any); a sub missing from ACCOUNTS_FILE is an account
  // with no claims but sub — an IdP user Felt knows nothing about. (Returning undefined here for a
  // logged-in sub makes oidc-provider answer 500 server_error, so unknown subs are not refused.)
  async findAccount(ctx, sub) {
    const account = loadAccounts()[sub] ?? {};
    return {
      accountId: sub,
      async claims() {
        return { ...account, sub };
      },
    };
  },
  // Automatic consent for felt-test: reuse the session's grant, or make one that grants everything.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    if (ctx.oidc.client.clientId !== CLIENT_ID) {
      return undefined;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(GRANTED_SCOPE);
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

// Log errors oidc-provider turns into error responses, so a failing test's stderr says why.
for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error']) {
  provider.on(event, (ctx, err) => {
    console.error(`oidc-provider ${event}: ${err?.name}: ${err?.message}`
      + `${err?.error_description ? ` (${err.error_description})` : ''}`
      + `${err?.cause ? ` cause: ${err.cause.message ?? err.cause}` : ''}`);
  });
}

// Static clients are validated lazily, on first use: check felt-test now, so bad REDIRECT_URIS fail the start.
try {
  await provider.Client.find(CLIENT_ID);
} catch (err) {
  console.error(`provider.mjs: invalid client ${CLIENT_ID}: ${err.message}`
    + `${err.error_description ? ` (${err.error_description})` : ''}`);
  process.exit(1);
}

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
server.on('error', (err) => {
  console.error(`provider.mjs: cannot listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
