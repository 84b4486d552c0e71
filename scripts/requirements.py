"""Print the exact pins of pyproject.toml as a requirements list for pip: runtime and dev (what `make` installs for
development and the tests), or with `--production` the runtime pins alone (docs/operations.md «Install»)."""

import sys
import tomllib
from pathlib import Path

data = tomllib.loads(Path(__file__).resolve().parent.parent.joinpath("pyproject.toml").read_text())
groups = [] if "--production" in sys.argv[1:] else data["dependency-groups"]["dev"]
for requirement in data["project"]["dependencies"] + groups:
    print(requirement)
