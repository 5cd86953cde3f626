"""portplan: plan, check and edit the port allocations of many projects on one machine."""

# The one place the version lives: pyproject.toml reads it (hatch), `portplan --version` prints it.
__version__ = "0.1.0"
