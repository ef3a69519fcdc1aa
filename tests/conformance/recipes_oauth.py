"""Recipes for every declared status of the Webfleet authorization server (`specs/webfleet-oauth.yaml`)."""

from __future__ import annotations

from recipe_base import Exchange, RecipeContext, recipe

API = "oauth"
BASE = "/webfleet-auth/uaa/oauth"
CLIENT = ("demo-partner", "demo-secret")
WRONG_SECRET = ("demo-partner", "not-the-secret")
REDIRECT_URI = "https://partner.example/callback"
AUTHORIZATION = {
    "response_type": "code",
    "client_id": CLIENT[0],
    "redirect_uri": REDIRECT_URI,
    "scope": "tachoshare",
    "state": "af0ifjsldkj",
}


def _redirect_uri(ctx: RecipeContext) -> str:
    """The demo client's first registered redirect URI, as the world declares it (the spec's example otherwise)."""
    clients = ctx.world().get("clients", [])
    uris = clients[0].get("redirectUris") if clients else None
    return str(uris[0]) if uris else REDIRECT_URI


def _authorization(ctx: RecipeContext) -> dict[str, str]:
    return {**AUTHORIZATION, "redirect_uri": _redirect_uri(ctx)}


# -- the consent page ----------------------------------------------------------------------------------------


@recipe(API, "showAuthorization", 200)
def consent_page(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", f"{BASE}/authorize", params=_authorization(ctx))


@recipe(API, "showAuthorization", 302)
def unsupported_response_type_is_redirected(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", f"{BASE}/authorize", params={**_authorization(ctx), "response_type": "token"})


@recipe(API, "showAuthorization", 400)
def unknown_client_is_refused_here(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", f"{BASE}/authorize", params={**_authorization(ctx), "client_id": "nobody"})


@recipe(API, "submitConsent", 200)
def wrong_password_shows_the_form_again(ctx: RecipeContext) -> Exchange:
    form = {**_authorization(ctx), "username": "fleetmanager", "password": "wrong", "decision": "approve"}
    return Exchange("POST", f"{BASE}/authorize", form=form)


@recipe(API, "submitConsent", 302)
def denial_is_redirected(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/authorize", form={**_authorization(ctx), "decision": "deny"})


@recipe(API, "submitConsent", 400)
def consent_for_an_unknown_client(ctx: RecipeContext) -> Exchange:
    return Exchange(
        "POST", f"{BASE}/authorize", form={**_authorization(ctx), "client_id": "nobody", "decision": "deny"}
    )


@recipe(API, "submitConsent", 415)
def consent_as_json(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/authorize", json={**_authorization(ctx), "decision": "deny"})


# -- tokens --------------------------------------------------------------------------------------------------


@recipe(API, "requestToken", 200)
def refresh_a_token(ctx: RecipeContext) -> Exchange:
    refresh_token = ctx.control("POST", "/tokens", {})["refresh_token"]
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return Exchange("POST", f"{BASE}/token", form=form, auth=CLIENT)


@recipe(API, "requestToken", 400)
def unsupported_grant_type(ctx: RecipeContext) -> Exchange:
    form = {"grant_type": "password", "username": "fleetmanager", "password": "demo"}
    return Exchange("POST", f"{BASE}/token", form=form, auth=CLIENT)


@recipe(API, "requestToken", 401)
def token_with_a_wrong_client_secret(ctx: RecipeContext) -> Exchange:
    form = {"grant_type": "refresh_token", "refresh_token": "0b8f5c1e2d3a4b5c6d7e8f9a0b1c2d3e"}
    return Exchange("POST", f"{BASE}/token", form=form, auth=WRONG_SECRET)


@recipe(API, "requestToken", 415)
def token_request_as_json(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/token", json={"grant_type": "refresh_token", "refresh_token": "x"}, auth=CLIENT)


@recipe(API, "revokeToken", 200)
def revoke_a_refresh_token(ctx: RecipeContext) -> Exchange:
    refresh_token = ctx.control("POST", "/tokens", {})["refresh_token"]
    return Exchange("POST", f"{BASE}/revoke", form={"token": refresh_token}, auth=CLIENT)


@recipe(API, "revokeToken", 400)
def revoke_without_a_token(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/revoke", form={"token_type_hint": "refresh_token"}, auth=CLIENT)


@recipe(API, "revokeToken", 401)
def revoke_with_a_wrong_client_secret(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/revoke", form={"token": "x"}, auth=WRONG_SECRET)


@recipe(API, "revokeToken", 415)
def revoke_as_json(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"{BASE}/revoke", json={"token": "x"}, auth=CLIENT)
