"""hamfoot: teaching the posterior kinetic chain, from hamstrings to the foot.

Importing the package stays light: content, model, plots and widgets load on first use.
"""

__version__ = "0.1.0"
