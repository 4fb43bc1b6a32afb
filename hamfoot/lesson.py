"""Small helpers lessons call at their edges (reference lists), so cells stay one line long."""
from __future__ import annotations


def references(ids: list[str]):
    """The formatted bibliography for a lesson, as Markdown (renders in Lab, reads as text)."""
    from IPython.display import Markdown

    from hamfoot import content

    return Markdown("\n".join(f"{n}. {ref}" for n, ref in enumerate(content.reference_list(ids), 1)))
