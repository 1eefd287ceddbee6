import os

import pytest

os.environ.setdefault("ALLIANTIE_LANG", "en")


@pytest.fixture()
def minimal_dossier(tmp_path):
    from alliantie.testing import write_minimal_dossier

    return write_minimal_dossier(tmp_path / "dossier")
