"""POSTs a webhook (issue 17): one request with the standard library's http.client, so no
redirect is ever followed and the timeout is ours; the host is resolved first and refused
when any address it resolves to is private, loopback, link-local or otherwise not public
(unless allowed, for tests and closed networks), and the connection goes to the address that
was checked, so a second lookup cannot point it elsewhere."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

from fordring.services.ports.webhooks import Answer

DEFAULT_TIMEOUT = 15.0  # seconds, per connect and per read


class HttpWebhookSender:
    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, allow_private: bool = False) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.context = ssl.create_default_context()

    def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        parts = urlsplit(url)
        host = parts.hostname or ""
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        try:
            address = self._address(host, port)
        except OSError as error:
            return Answer(None, f"cannot resolve {host}: {error}")
        except _Refused as refused:
            return Answer(None, str(refused))
        connection: http.client.HTTPConnection
        if https:
            connection = _PinnedHttps(host, port, address, self.timeout, self.context)
        else:
            connection = _PinnedHttp(host, port, address, self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", target, body=body, headers=dict(headers))
            response = connection.getresponse()
            response.read(64 * 1024)  # the answer's body is not kept
            return Answer(response.status)
        except TimeoutError:
            return Answer(None, f"no answer within {self.timeout:g} s")
        except (OSError, http.client.HTTPException) as error:
            return Answer(None, f"{type(error).__name__}: {error}"[:500])
        finally:
            connection.close()

    def _address(self, host: str, port: int) -> str:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [str(info[4][0]) for info in infos]
        if not addresses:
            raise OSError("no address")
        if not self.allow_private:
            for address in addresses:
                ip = ipaddress.ip_address(address.split("%")[0])
                if not ip.is_global or ip.is_multicast:
                    raise _Refused(
                        f"refused: {host} resolves to {address}, a private, loopback or "
                        "link-local address (FORDRING_WEBHOOK_ALLOW_PRIVATE allows it)"
                    )
        return addresses[0]


class _Refused(Exception):
    pass


class _PinnedHttp(http.client.HTTPConnection):
    """Connects to the address checked, naming `host` in the Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHttps(http.client.HTTPSConnection):
    """Connects to the address checked; the certificate is checked against `host`."""

    def __init__(
        self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
