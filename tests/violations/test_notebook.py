"""The Cheonan notebook runs top to bottom with the app's code (its cells assert the counts and
hot spots), and is committed with its outputs stripped."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from django.conf import settings
from nbclient import NotebookClient

from tests.conftest import shared_data
from tests.violations.conftest import ENFORCEMENT_2023

NOTEBOOK = Path(settings.BASE_DIR) / "notebooks" / "cheonan_violation_hotspots.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.slow
def test_cheonan_notebook_executes() -> None:
    shared_data(ENFORCEMENT_2023)  # skips without the shared data
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    env_before = os.environ.get("DJANGO_SETTINGS_MODULE")
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(settings.BASE_DIR)}},
    )
    client.execute()
    assert os.environ.get("DJANGO_SETTINGS_MODULE") == env_before
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "hot_99" in text and "geocode_fallback_point" in text
