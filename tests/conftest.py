import os

import pytest

from alliantie.i18n import set_language

os.environ.setdefault("ALLIANTIE_LANG", "en")  # for the CLI in subprocesses and its help texts
set_language("en")  # messages of in-process calls


@pytest.fixture()
def minimal_dossier(tmp_path):
    from alliantie.testing import write_minimal_dossier

    return write_minimal_dossier(tmp_path / "dossier")
