"""The browser app shipped in the package (alliantie/web/static, built from frontend/ with npm run build).

`pip install` must give a working app with no npm and no internet: the built files are in the package, the page
refers only to files that are there, nothing in the bundle points at an outside host, and every text key the
bundle asks the server for exists in Dutch and English.
"""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from alliantie.i18n import LANGUAGES, catalogue

STATIC = resources.files("alliantie.web") / "static"
REPO = Path(__file__).resolve().parents[2]

#: Addresses that may appear in the bundle: XML namespaces (identifiers, never fetched) and MapLibre's placeholder
#: base for parsing relative URLs (.invalid is a reserved name that never resolves).
ALLOWED_HOSTS = {"www.w3.org", "maplibre.invalid"}
URL = re.compile(r"https?://([A-Za-z0-9.-]+)")
#: Comments that start a line (as bundlers keep licence notices); a licence's own address may stay in them.
LICENCE_COMMENT = re.compile(r"^[ \t]*(?:/\*[\s\S]*?\*/|//[^\n]*)", re.MULTILINE)


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value and not value.startswith(("#", "data:")):
                self.refs.append(value)


def _bundle_files() -> list[Path]:
    folder = Path(str(STATIC))
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _text_files() -> list[Path]:
    return [p for p in _bundle_files() if p.suffix in {".js", ".css", ".html"}]


def test_index_is_in_the_package() -> None:
    index = STATIC / "index.html"
    assert index.is_file(), "run `npm ci && npm run build` in frontend/ and commit src/alliantie/web/static"
    assert '<main id="main"' in index.read_text(encoding="utf-8")


def test_index_refers_only_to_files_that_exist() -> None:
    parser = _References()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert parser.refs, "index.html loads no script or style"
    folder = Path(str(STATIC))
    for ref in parser.refs:
        assert not URL.match(ref), f"index.html loads {ref} from outside"
        target = (folder / ref.split("?")[0]).resolve()
        assert target.is_file(), f"index.html refers to {ref}, which is not in the package"
        assert folder.resolve() in target.parents


def test_the_package_data_globs_cover_every_built_file() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["alliantie"]
    package = Path(str(resources.files("alliantie")))
    for path in _bundle_files():
        relative = path.relative_to(package)
        assert any(relative.match(pattern) and len(relative.parts) == len(Path(pattern).parts) for pattern in globs), (
            f"{relative} is not covered by pyproject's package-data, so pip install would leave it out")


def test_the_map_worker_is_shipped_beside_the_app() -> None:
    assets = Path(str(STATIC)) / "assets"
    app = (assets / "app.js").read_text(encoding="utf-8")
    assert "maplibre-gl-worker.js" in app
    assert (assets / "maplibre-gl-worker.js").is_file()


def _without_licence_comments(text: str) -> str:
    return LICENCE_COMMENT.sub(lambda m: "" if re.search(r"licen[cs]e", m.group(0), re.I) else m.group(0), text)


@pytest.mark.parametrize("name", [p.name for p in _text_files()])
def test_no_outside_address_in_the_bundle(name: str) -> None:
    path = next(p for p in _text_files() if p.name == name)
    hosts = set(URL.findall(_without_licence_comments(path.read_text(encoding="utf-8"))))
    assert hosts <= ALLOWED_HOSTS, f"{name} names outside hosts {sorted(hosts - ALLOWED_HOSTS)}"


def test_no_outside_address_check_would_catch_one() -> None:
    text = "/* @license MIT https://example.com/LICENSE */\n" \
           'fetch("https://tiles.example.org/{z}/{x}/{y}.png") // licence'
    assert set(URL.findall(_without_licence_comments(text))) == {"tiles.example.org"}


def test_every_text_key_of_the_bundle_is_in_the_catalogue() -> None:
    app = (Path(str(STATIC)) / "assets" / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r"[\"'`](web\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)[\"'`]", app))
    assert len(used) > 100, "the bundle should take all its texts from the catalogue"
    entries = catalogue()
    missing = sorted(key for key in used if key not in entries)
    assert not missing, f"keys the browser asks for but web.toml lacks: {missing}"
    for key in used:
        for language in LANGUAGES:
            assert entries[key][language].strip(), f"{key} is empty in {language}"


def test_the_bundle_uses_the_source_keys() -> None:
    """The built bundle is the one of the committed sources: every key in frontend/src is in app.js."""
    sources = REPO / "frontend" / "src"
    if not sources.is_dir():
        pytest.skip("no frontend sources beside this package (installed from a wheel)")
    in_sources = set()
    for path in sources.glob("*.ts"):
        in_sources |= set(re.findall(r"\"(web\.[a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    app = (Path(str(STATIC)) / "assets" / "app.js").read_text(encoding="utf-8")
    stale = sorted(key for key in in_sources if key not in app)
    assert not stale, f"app.js was not rebuilt after these keys were added (npm run build): {stale}"
