"""``alliantie serve DOSSIER``: the web app (atlas and sketch workshop) of a dossier, with uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from alliantie.cli.common import _h, _t, handle_errors, out_console


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
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3)
