"""Print the exact pins of pyproject.toml (runtime and dev) as a requirements list for pip."""

import tomllib
from pathlib import Path

data = tomllib.loads(Path(__file__).resolve().parent.parent.joinpath("pyproject.toml").read_text())
for requirement in data["project"]["dependencies"] + data["dependency-groups"]["dev"]:
    print(requirement)
