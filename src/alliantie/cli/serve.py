"""``alliantie serve DOSSIER``: the web app (atlas and sketch workshop) of a dossier, with uvicorn."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
from pathlib import Path

import click

from alliantie.cli.common import _h, _t, handle_errors, out_console


def room_addresses() -> list[str]:
    """This machine's IPv4 addresses that others on the local network can reach (no loopback), found without
    sending anything: the address the system would use for the default route, and those of the host name."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # UDP connect: picks a route, sends no packet
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    out: list[str] = []
    for address in found:
        ip = ipaddress.ip_address(str(address))
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local) and str(ip) not in out:
            out.append(str(ip))
    return out


@click.command("serve", help=_h("serve"))
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--host", default=None, help=_h("serve_host"))
@click.option("--port", type=click.IntRange(1, 65535), default=None, help=_h("serve_port"))
@click.option("--db", "db_url", default=None, help=_h("serve_db"))
@handle_errors
def command(dossier: Path, host: str | None, port: int | None, db_url: str | None) -> None:
    """Serve the atlas and the workshop of DOSSIER (dossier.toml or its folder) until Ctrl+C."""
    from alliantie.dossier import load_dossier

    loaded = load_dossier(dossier)  # a wrong path or an invalid dossier is a message, before the server starts
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin and migration lines are not for planners
    import uvicorn

    from alliantie.web.app import create_app
    from alliantie.web.settings import WebSettings

    overrides: dict[str, object] = {"dossier": loaded.toml_path}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if db_url is not None:
        overrides["db_url"] = db_url
    settings = WebSettings(**overrides)  # type: ignore[arg-type]
    app = create_app(settings)
    shown = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::") else settings.host
    store = settings.database_url.split("@")[-1] if "@" in settings.database_url else settings.database_url
    out_console.print(_t("web_api.serve.listening", name=loaded.config.name, url=f"http://{shown}:{settings.port}/",
                         store=store), highlight=False)
    if settings.host in ("0.0.0.0", "::"):
        for address in room_addresses():  # what the others in the meeting room type; the share link follows it
            out_console.print(_t("web_api.serve.room", url=f"http://{address}:{settings.port}/"), highlight=False)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3,
                # browsers and the benchmark keep connections between a participant's requests
                timeout_keep_alive=60)
