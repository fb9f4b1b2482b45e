"""The test OpenID provider itself behaves as a certified provider must (PKCE enforced, signed ID tokens).

For now these tests play the relying party themselves with authlib, the way the app does: authorization
code + PKCE (S256), a confidential client, and the ID token verified with joserfc against the provider's
JWKS. They prove the provider fixture issues real codes and signed ID tokens carrying Felt's claims, and
that it enforces PKCE.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc.fixture import DEFAULT_REDIRECT_URI, OidcProvider

pytestmark = pytest.mark.oidc

SCOPE = "openid profile email felt"
FELT_CLAIMS = ("name", "email", "employee_number", "unit", "groups")


@pytest.fixture(scope="module")
def discovery(oidc_provider: OidcProvider) -> dict:
    return oidc_provider.openid_configuration()


def _client(oidc_provider: OidcProvider) -> OAuth2Client:
    return OAuth2Client(
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        token_endpoint_auth_method="client_secret_basic",
        scope=SCOPE,
        redirect_uri=DEFAULT_REDIRECT_URI,
        code_challenge_method="S256",
        timeout=10,
    )


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _verified_claims(discovery: dict, id_token: str) -> dict:
    jwks = KeySet.import_key_set(httpx.get(discovery["jwks_uri"], timeout=10).json())
    return jwt.decode(id_token, jwks, algorithms=["RS256"]).claims


def test_discovery_document(oidc_provider: OidcProvider, discovery: dict) -> None:
    assert discovery["issuer"] == oidc_provider.issuer
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert "client_secret_basic" in discovery["token_endpoint_auth_methods_supported"]
    assert {"openid", "profile", "email", "felt"} <= set(discovery["scopes_supported"])
    assert set(FELT_CLAIMS) <= set(discovery["claims_supported"])
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        assert discovery[endpoint].startswith(oidc_provider.issuer + "/")


def test_authorization_code_flow_with_pkce(oidc_provider: OidcProvider, discovery: dict) -> None:
    nonce = secrets.token_urlsafe(16)
    code_verifier = generate_token(48)
    with _client(oidc_provider) as client:
        authorize_url, state = client.create_authorization_url(
            discovery["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
        )
        authorize_query = _query(authorize_url)
        assert authorize_query["code_challenge_method"] == "S256"
        assert "code_challenge" in authorize_query

        callback_url = oidc_provider.login(None, authorize_url, "lars")

        assert callback_url.startswith(DEFAULT_REDIRECT_URI + "?")
        callback = _query(callback_url)
        assert callback["state"] == state
        assert callback["iss"] == oidc_provider.issuer  # RFC 9207 iss in the authorization response
        assert "code" in callback

        token = client.fetch_token(
            discovery["token_endpoint"],
            authorization_response=callback_url,
            state=state,
            code_verifier=code_verifier,
        )
        assert token["token_type"].lower() == "bearer"
        assert token["access_token"]

        # The ID token: signed by a key in the provider's JWKS, for us, answering our nonce.
        jwks = KeySet.import_key_set(httpx.get(discovery["jwks_uri"], timeout=10).json())
        id_token = jwt.decode(token["id_token"], jwks, algorithms=["RS256"])
        assert id_token.header["alg"] == "RS256"
        jwt.JWTClaimsRegistry(
            leeway=5,
            iss={"essential": True, "value": oidc_provider.issuer},
            aud={"essential": True, "value": oidc_provider.client_id},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True, "value": "lars"},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(id_token.claims)
        account = oidc_provider.accounts["lars"]
        for claim in FELT_CLAIMS:
            assert id_token.claims[claim] == account[claim], claim
        assert id_token.claims["groups"] == ["felt-employee", "felt-leader"]

        # The same claims at userinfo.
        userinfo = client.get(discovery["userinfo_endpoint"])
        userinfo.raise_for_status()
        assert userinfo.json() == {"sub": "lars", **{claim: account[claim] for claim in FELT_CLAIMS}}


def test_id_token_with_a_wrong_key_is_rejected(oidc_provider: OidcProvider, discovery: dict) -> None:
    """The JWKS check above is meaningful: a token is not accepted with some other key."""
    from joserfc.errors import BadSignatureError
    from joserfc.jwk import RSAKey

    code_verifier = generate_token(48)
    with _client(oidc_provider) as client:
        authorize_url, state = client.create_authorization_url(
            discovery["authorization_endpoint"], code_verifier=code_verifier, nonce="n-1"
        )
        callback_url = oidc_provider.login(None, authorize_url, "anna")
        token = client.fetch_token(
            discovery["token_endpoint"],
            authorization_response=callback_url,
            state=state,
            code_verifier=code_verifier,
        )
    other_key = RSAKey.generate_key(2048, parameters={"kid": "felt-test-rs256"})
    with pytest.raises(BadSignatureError):
        jwt.decode(token["id_token"], other_key, algorithms=["RS256"])


def test_pkce_is_enforced(oidc_provider: OidcProvider, discovery: dict) -> None:
    token_endpoint = discovery["token_endpoint"]
    auth = (oidc_provider.client_id, oidc_provider.client_secret)

    # 1. An authorization request without a code_challenge is refused outright.
    with _client(oidc_provider) as client:
        no_pkce_url, _ = client.create_authorization_url(discovery["authorization_endpoint"], nonce="n-2")
    assert "code_challenge" not in _query(no_pkce_url)
    refused = _query(oidc_provider.login(None, no_pkce_url, "anna"))
    assert refused["error"] == "invalid_request"
    assert "PKCE" in refused["error_description"]
    assert "code" not in refused

    # 2. A code issued for a code_challenge is not redeemed without the code_verifier, nor with a wrong one.
    code_verifier = generate_token(48)
    with _client(oidc_provider) as client:
        authorize_url, _ = client.create_authorization_url(
            discovery["authorization_endpoint"], code_verifier=code_verifier, nonce="n-3"
        )
    code = _query(oidc_provider.login(None, authorize_url, "anna"))["code"]
    request = {"grant_type": "authorization_code", "code": code, "redirect_uri": DEFAULT_REDIRECT_URI}

    without_verifier = httpx.post(token_endpoint, data=request, auth=auth, timeout=10)
    assert without_verifier.status_code == 400, without_verifier.text
    assert without_verifier.json()["error"] == "invalid_grant"

    wrong_verifier = httpx.post(
        token_endpoint, data={**request, "code_verifier": generate_token(48)}, auth=auth, timeout=10
    )
    assert wrong_verifier.status_code == 400, wrong_verifier.text
    assert wrong_verifier.json()["error"] == "invalid_grant"

    # 3. The code itself was good: with its code_verifier the provider redeems it.
    accepted = httpx.post(
        token_endpoint, data={**request, "code_verifier": code_verifier}, auth=auth, timeout=10
    )
    assert accepted.status_code == 200, accepted.text
    assert "id_token" in accepted.json()


def test_unknown_login_name_logs_in_without_claims(oidc_provider: OidcProvider, discovery: dict) -> None:
    """A login name missing from the accounts is an IdP user with no claims but sub."""
    code_verifier = generate_token(48)
    with _client(oidc_provider) as client:
        authorize_url, state = client.create_authorization_url(
            discovery["authorization_endpoint"], code_verifier=code_verifier, nonce="n-4"
        )
        token = client.fetch_token(
            discovery["token_endpoint"],
            authorization_response=oidc_provider.login(None, authorize_url, "nobody"),
            state=state,
            code_verifier=code_verifier,
        )
    claims = _verified_claims(discovery, token["id_token"])
    assert claims["sub"] == "nobody"
    assert not set(FELT_CLAIMS) & set(claims)


def test_accounts_added_while_running(oidc_provider: OidcProvider, discovery: dict) -> None:
    oidc_provider.add_account(
        "tove",
        name="Tove Tilkalling",
        email="tove@example.test",
        employee_number="10009",
        unit="SKOLE",
        groups=[],
    )
    code_verifier = generate_token(48)
    with _client(oidc_provider) as client:
        authorize_url, state = client.create_authorization_url(
            discovery["authorization_endpoint"], code_verifier=code_verifier, nonce="n-5"
        )
        token = client.fetch_token(
            discovery["token_endpoint"],
            authorization_response=oidc_provider.login(None, authorize_url, "tove"),
            state=state,
            code_verifier=code_verifier,
        )
    claims = _verified_claims(discovery, token["id_token"])
    assert claims["sub"] == "tove"
    assert claims["groups"] == []
