"""Browser tests (a package, so its modules import their helpers relatively: `from ._helpers import …`)."""
