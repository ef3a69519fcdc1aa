"""The consent page and the error page of the authorization endpoint: small, self-contained HTML.

Every value that comes from a request or the world passes through `html.escape` (with quotes) before it
reaches the page, so a hostile `state`, client name or redirect URI cannot inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from string import Template
from urllib.parse import urlsplit

from mockserver.oauth.authorization import AuthorizationRequest, Decision
from mockserver.oauth.scopes import describe

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f7;color:#1d2733;
margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:.75rem;padding:2rem;
box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 1rem}
p.note{color:#5a6776;font-size:.9rem}
ul{padding-left:1.2rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600;font-size:.9rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #c4ccd5;
border-radius:.375rem;font-size:1rem}
.error{background:#fdecea;color:#8a1c13;padding:.6rem .8rem;border-radius:.375rem}
.buttons{display:flex;gap:.75rem;margin-top:1.5rem}
button{flex:1;padding:.6rem;border-radius:.375rem;border:1px solid #c4ccd5;font-size:1rem;cursor:pointer}
button.approve{background:#e2001a;border-color:#e2001a;color:#fff}
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
<main>
$content
</main>
</body>
</html>
""")

_CONSENT = Template("""<h1>Authorize $client_name</h1>
<p><strong>$client_name</strong> asks for access to your Webfleet account:</p>
<ul>
$scopes
</ul>
$message
<form method="post" action="$action">
$hidden
<label for="account">Account <span class="note">(only if your username is in several accounts)</span></label>
<input type="text" id="account" name="account" value="$account" autocomplete="organization">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="$username" autocomplete="username">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="buttons">
<button type="submit" class="approve" name="decision" value="$approve">Approve</button>
<button type="submit" class="deny" name="decision" value="$deny">Deny</button>
</div>
</form>
<p class="note">You will be sent back to $redirect_host.
Approving signs you in; denying needs no sign-in.</p>""")

_ERROR = Template("""<h1>The authorization request was refused</h1>
<p class="error"><strong>$error</strong>: $description</p>
<p class="note">The application that sent you here is misconfigured;
you have not been sent back to it.</p>""")


def _page(title: str, content: str) -> str:
    return _PAGE.substitute(title=escape(title), style=_STYLE, content=content)


@dataclass(frozen=True)
class ConsentPage:
    request: AuthorizationRequest
    action: str  # the URL the form posts to
    message: str | None = None
    account: str | None = None
    username: str | None = None

    def render(self) -> str:
        hidden = "\n".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in self.request.hidden_fields()
        )
        scopes = "\n".join(
            f"<li><strong>{escape(scope)}</strong>: {escape(describe(scope))}</li>" for scope in self.request.scopes
        )
        message = f'<p class="error" role="alert">{escape(self.message)}</p>' if self.message else ""
        content = _CONSENT.substitute(
            client_name=escape(self.request.client.name),
            scopes=scopes,
            message=message,
            action=escape(self.action),
            hidden=hidden,
            account=escape(self.account or ""),
            username=escape(self.username or ""),
            approve=Decision.APPROVE.value,
            deny=Decision.DENY.value,
            redirect_host=escape(urlsplit(self.request.redirect_uri).netloc),
        )
        return _page(f"Authorize {self.request.client.name}", content)


def error_page(error: str, description: str) -> str:
    return _page(
        "Authorization request refused",
        _ERROR.substitute(error=escape(error), description=escape(description)),
    )
