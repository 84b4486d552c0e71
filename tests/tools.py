"""External programs some tests need: skipped locally when absent, a failure in CI (`CI` set), which installs them."""

import os
import shutil

import pytest


def require_tool(program: str, what: str) -> str:
    path = shutil.which(program)
    if path is None:
        message = f"{what} ({program}) is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run this test (.ci/run installs it).", pytrace=False)
        pytest.skip(message)
    return path
