"""Content files of hamfoot, shipped inside the package as ``hamfoot.data``."""
