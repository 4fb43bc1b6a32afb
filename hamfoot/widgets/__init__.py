"""Interactive lesson widgets. Each builder returns a ready widget; notebook cells only call it."""
