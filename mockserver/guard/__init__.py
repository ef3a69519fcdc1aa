"""The outermost ASGI layer: size and time limits, and who may reach the control plane.

It acts before anything else reads the request (routing, the journal, Connexion), so an oversized, slow or
unauthorised request costs a bounded amount of memory and time and changes nothing. Its answers are in the API's
own error shape (the renderer `mockserver.app` hands it), and every status it can answer is declared in the specs.
"""

from mockserver.guard.access import Access
from mockserver.guard.layer import Guard
from mockserver.guard.limits import Limits

__all__ = ["Access", "Guard", "Limits"]
