"""hamfoot: teaching the posterior kinetic chain, from hamstrings to the foot.

Importing the package stays light: content, model, plots and widgets load on first use.
"""

# The one version number: pyproject.toml reads it from here ([tool.setuptools.dynamic]).
__version__ = "0.1.0"
